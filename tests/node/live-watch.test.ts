import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { LiveWatch } from '../../src/node/engine/shared/live-watch.js';

test('a late test-end read from the worker file does not revive a module that already ended', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'al-live-'));
  try {
    const file = path.join(dir, 'live.jsonl');
    const watch = new LiveWatch(file);
    watch.push({ event: 'module-start', file: '/a.test.ts', at: 0 }, 0);
    watch.push({ event: 'module-end', file: '/a.test.ts', at: 0 }, 10);
    // The worker's markers for a.test.ts are only read now, after the host saw the module end.
    await writeFile(file, `${JSON.stringify({ event: 'test-start', file: '/a.test.ts', name: 't', at: 1 })}\n${JSON.stringify({ event: 'test-end', file: '/a.test.ts', name: 't', at: 2 })}\n`);
    await watch.poll(20);
    expect(watch.stuck(() => 100, 0, 0, 10_000)).toBeUndefined();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a test that started and never ended is stuck past its timeout plus grace, named', async () => {
  const watch = new LiveWatch('/nonexistent/live.jsonl');
  watch.push({ event: 'module-start', file: '/b.test.ts', at: 0 }, 0);
  watch.push({ event: 'test-start', file: '/b.test.ts', name: 'spins', at: 0 }, 100);
  expect(watch.stuck(() => 1000, 500, 3000, 1500)).toBeUndefined();
  expect(watch.stuck(() => 1000, 500, 3000, 1700)).toEqual({ file: '/b.test.ts', test: 'spins', loading: false, forMs: 1600 });
});

test('with silentMs, a test whose worker stops beating is stuck before its timeout; beats keep it alive', () => {
  const watch = new LiveWatch('/nonexistent/live.jsonl');
  watch.push({ event: 'module-start', file: '/c.test.ts', at: 0 }, 0);
  watch.push({ event: 'test-start', file: '/c.test.ts', name: 'waits', at: 0 }, 0);
  // A test waiting on a promise: the loop turns, the worker beats, nothing is stuck.
  for (let t = 250; t <= 4000; t += 250) watch.push({ event: 'beat', file: '/c.test.ts', at: t }, t);
  expect(watch.stuck(() => 5000, 1500, 3000, 4100, 2000)).toBeUndefined();
  // The beats stop: 2 s later the test is stuck, long before its 5 s timeout.
  expect(watch.stuck(() => 5000, 1500, 3000, 5900, 2000)).toBeUndefined();
  expect(watch.stuck(() => 5000, 1500, 3000, 6100, 2000)).toEqual({ file: '/c.test.ts', test: 'waits', loading: false, forMs: 2100 });
  // Without silentMs (batches) only the timeout counts.
  expect(watch.stuck(() => 5000, 1500, 3000, 6100)).toBeUndefined();
});

test('a module whose worker has not beaten yet (still booting) is judged by its load grace only', () => {
  const watch = new LiveWatch('/nonexistent/live.jsonl');
  watch.push({ event: 'module-start', file: '/d.test.ts', at: 0 }, 0);
  expect(watch.stuck(() => 5000, 1500, 3000, 4000, 2000)).toBeUndefined();
  expect(watch.stuck(() => 5000, 1500, 3000, 8100, 2000)).toMatchObject({ test: undefined, loading: true });
});

test('a module that beat while loading and then fell silent is stuck while loading, before its timeout', () => {
  const watch = new LiveWatch('/nonexistent/live.jsonl');
  watch.push({ event: 'module-start', file: '/d2.test.ts', at: 0 }, 0);
  // The setup file beats before the learner's module is imported; then a top-level loop spins.
  watch.push({ event: 'beat', file: '/d2.test.ts', at: 300 }, 300);
  expect(watch.stuck(() => 10_000, 1500, 3000, 2200, 2000)).toBeUndefined();
  expect(watch.stuck(() => 10_000, 1500, 3000, 2400, 2000)).toEqual({ file: '/d2.test.ts', test: undefined, loading: true, forMs: 2100 });
  // Without silentMs (batches) only the timeout counts.
  expect(watch.stuck(() => 10_000, 1500, 3000, 2400)).toBeUndefined();
});

test('a beat counts when it is read, whatever its stamp (fake timers freeze the worker’s Date)', () => {
  const watch = new LiveWatch('/nonexistent/live.jsonl');
  watch.push({ event: 'module-start', file: '/e.test.ts', at: 0 }, 0);
  watch.push({ event: 'test-start', file: '/e.test.ts', name: 'fake clock', at: 0 }, 0);
  for (let t = 250; t <= 3000; t += 250) watch.push({ event: 'beat', file: '/e.test.ts', at: 0 }, t);
  expect(watch.stuck(() => 5000, 1500, 3000, 3100, 2000)).toBeUndefined();
});

test('expected busy work (the harness loading TypeScript) extends a test’s quiet allowance until it ends', () => {
  const watch = new LiveWatch('/nonexistent/live.jsonl');
  watch.push({ event: 'module-start', file: '/f.test.ts', at: 0 }, 0);
  watch.push({ event: 'beat', file: '/f.test.ts', at: 0 }, 0);
  watch.push({ event: 'test-start', file: '/f.test.ts', name: 'scans', at: 0 }, 0);
  watch.push({ event: 'busy', ms: 15_000, at: 100 }, 100);
  expect(watch.stuck(() => 20_000, 1500, 3000, 5000, 2000)).toBeUndefined();
  // Done: from here the usual 2 s apply again.
  watch.push({ event: 'busy', ms: 0, at: 5000 }, 5000);
  expect(watch.stuck(() => 20_000, 1500, 3000, 6900, 2000)).toBeUndefined();
  expect(watch.stuck(() => 20_000, 1500, 3000, 7100, 2000)?.test).toBe('scans');
});

test('console output is kept to the last lines of each file, counting what was dropped', async () => {
  const { consoleFor } = await import('../../src/node/engine/client/to-verdict.js');
  const watch = new LiveWatch('/nonexistent/live.jsonl');
  const block = (from: number, n: number) => Array.from({ length: n }, (_, i) => `line ${from + i}`).join('\n');
  for (let k = 0; k < 3; k++) watch.push({ event: 'console', file: '/g.test.ts', stream: 'stdout', text: block(k * 1500, 1500), at: k }, k);
  watch.push({ event: 'console', file: '/h.test.ts', stream: 'stdout', text: 'quiet file', at: 9 }, 9);
  // One event of 300 000 lines (vitest batches output) must not overflow the stack either.
  watch.push({ event: 'console', file: '/g.test.ts', stream: 'stdout', text: block(4500, 300_000), at: 10 }, 10);
  const g = watch.events.filter((e) => e.event === 'console' && e.file === '/g.test.ts');
  const kept = g.reduce((n, e) => n + (e.event === 'console' ? e.text.split('\n').length : 0), 0);
  const dropped = g.reduce((n, e) => n + (e.event === 'console' ? (e.dropped ?? 0) : 0), 0);
  expect(kept).toBeLessThanOrEqual(2000);
  expect(kept + dropped).toBe(304_500);
  const lines = consoleFor({ testFile: '/g.test.ts' } as never, watch.events, false);
  expect(lines[0]).toBe('… 304300 earlier lines not shown');
  expect(lines.at(-1)).toBe('line 304499');
  expect(lines).toHaveLength(201);
  expect(consoleFor({ testFile: '/h.test.ts' } as never, watch.events, false)).toEqual(['quiet file']);
});
