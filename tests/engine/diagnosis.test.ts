import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Verdict } from '../../src/core/verdict.js';
import type { CheckTarget } from '../../src/node/engine/check-runner.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { EngineRunner } from '../../src/node/engine/client/engine-runner.js';
import { repoRoot } from '../helpers.js';

// Each exercise of the engine course is a way the diagnosis could lie or say too little.
let loaded: LoadedCourse;
const engine = new EngineRunner({ maxWorkers: 2 });

const target = (name: string, from: 'exercises' | 'solutions' = 'exercises'): CheckTarget => ({
  courseRoot: loaded.root,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir: path.join(loaded.root, from), displayBase: loaded.root },
});

beforeAll(async () => {
  loaded = await loadCourse(path.join(repoRoot, 'tests/fixtures/engine-course'));
  engine.start();
});
afterAll(() => engine.close());

test('under fake timers a promise that never settles is never-settled, not a blocked loop, and the first one decides', async () => {
  const v = await engine.check(target('fake_timers_never_settle'));
  expect(v.status).toBe('timeout');
  expect(v.status === 'timeout' && v.diagnosis).toMatchObject({ kind: 'never-settled', test: 'waits 10 ms' });
  // Per-test results are kept; the tests after the first timeout are not waited for (on a loaded
  // machine the stop may reach the worker while the second test already runs: it finishes).
  expect(v.tests.map((t) => t.name)).toEqual([10, 20, 30, 40, 0].map((ms) => `waits ${ms} ms`));
  expect(v.tests[0]!.state).toBe('failed');
  expect(v.tests.filter((t) => t.state === 'skipped').length).toBeGreaterThanOrEqual(3);
  // Checked alone, a re-run with promise tracking names the learner's line the test is stuck at,
  // while the wait it reports is still the exercise's own timeout.
  const d = v.status === 'timeout' ? v.diagnosis : undefined;
  expect(d?.frame).toMatchObject({ file: 'exercises/01_diagnosis/fake_timers_never_settle.ts', line: 3 });
  expect(d?.message).toMatch(/waited 2\.5 s .* still waiting at exercises\/01_diagnosis\/fake_timers_never_settle\.ts:3 \(`await new Promise<void>\(\(\) => \{\}\);`\)/);
}, 30_000);

test('a batch waits for every test of a file that never settles, and still calls it never-settled', async () => {
  // 5 × 2.5 s is longer than a fixed deadline per file (2.5 + 1 + 6 s) allows: the host is
  // trusted while it keeps saying it is alive, however long honest timeouts take.
  const [v] = await engine.checkMany([target('fake_timers_never_settle')]);
  expect(v!.status === 'timeout' && v!.diagnosis.kind).toBe('never-settled');
  expect(v!.tests.map((t) => t.state)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
  // Batches (verify, dev check, grading) do not pay for the diagnostic re-run.
  expect(v!.status === 'timeout' && v!.diagnosis.frame).toBeFalsy();
}, 60_000);

test('a loop at the top level is diagnosed as fast as one in a test, while loading', async () => {
  const v = await engine.check(target('blocks_at_import'));
  expect(v.status).toBe('timeout');
  const d = v.status === 'timeout' ? v.diagnosis : undefined;
  expect(d?.kind).toBe('blocked-event-loop');
  expect(d?.test).toBeUndefined();
  expect(d?.message).toMatch(/while the exercise was loading/);
  // The worker's beats stop with the loop: no need to wait out the 10 s timeout plus grace.
  expect(Number(/for ([\d.]+) s/.exec(d?.message ?? '')?.[1])).toBeLessThan(10);
  // Checked alone, a re-run with loop probes names the loop (a body without braces, at the top level).
  expect(d?.frame).toMatchObject({ file: 'exercises/01_diagnosis/blocks_at_import.ts', line: 3, column: 1 });
  expect(d?.message).toMatch(/kept going round the loop at the top level of exercises\/01_diagnosis\/blocks_at_import\.ts:3 \(`while \(spins >= 0\) spins\+\+;`\)/);
  const [batched] = await engine.checkMany([target('blocks_at_import')]);
  expect(batched!.status === 'timeout' && batched!.diagnosis.frame).toBeFalsy();
  // The probes are gone again: the fixed file passes, transformed as usual.
  expect((await engine.check(target('blocks_at_import', 'solutions'))).status).toBe('passed');
}, 60_000);

const located = (v: Verdict) => (v.status === 'compile-error' && v.frame ? `${v.frame.file}:${v.frame.line}` : `${v.status} without a frame`);

test('a syntax error from the transform carries the file, line, column and frame', async () => {
  const v = await engine.check(target('transform_syntax_error'));
  expect(v.status === 'compile-error' && v.message).toMatch(/Expected `,` or `\)`/);
  expect(located(v)).toBe('exercises/01_diagnosis/transform_syntax_error.ts:3');
  expect(v.status === 'compile-error' && v.frame?.lines.some((l) => l.text.includes('return double(n;'))).toBe(true);
});

test("V8's own syntax error (no location in its message) is located by re-parsing the learner's file", async () => {
  const v = await engine.check(target('v8_syntax_error'));
  expect(v.status === 'compile-error' && v.message).toMatch(/super/);
  expect(located(v)).toBe('exercises/01_diagnosis/v8_syntax_error.ts:5');
});

test('with scrubEnv, learner code sees none of the parent’s environment (grading); without, it does', async () => {
  process.env.AL_TEST_SECRET = 'instructor-token';
  const scrubbed = new EngineRunner({ maxWorkers: 1, oneShot: true, scrubEnv: true });
  const plain = new EngineRunner({ maxWorkers: 1, oneShot: true });
  try {
    expect((await scrubbed.check(target('reads_env'))).status).toBe('passed');
    const leaky = await plain.check(target('reads_env'));
    expect(leaky.tests.find((t) => t.name.startsWith('sees no secret'))?.state).toBe('failed');
  } finally {
    delete process.env.AL_TEST_SECRET;
    await scrubbed.close();
    await plain.close();
  }
});

test("a failing check built on the harness's executor carries what each task did, with a lost-wake warning", async () => {
  const v = await engine.check(target('lost_wake'));
  expect(v.status).toBe('failed');
  expect(v.timeline).toMatchObject({ test: 'a send wakes the reader', tasks: ['reader', 'sender'] });
  expect(v.timeline!.events.map((e) => `${e.task}:${e.kind}`)).toEqual(['reader:spawn', 'reader:pending', 'sender:spawn', 'sender:ready']);
  expect(v.timeline!.warnings).toEqual([expect.objectContaining({ task: 'reader', kind: 'lost-wake' })]);
  const fixed = await engine.check(target('lost_wake', 'solutions'));
  expect(fixed.status).toBe('passed');
  expect(fixed.timeline).toBeUndefined();
});

test('a future that wakes itself instead of waiting shows its self-wakes and the spin the executor stopped', async () => {
  const v = await engine.check(target('self_wake'));
  expect(v.status).toBe('failed');
  expect(v.timeline?.spin).toMatchObject({ task: 'sleeper' });
  expect(v.timeline!.events.filter((e) => e.kind === 'self-wake').length).toBeGreaterThan(10);
  expect(v.timeline!.warnings.map((w) => w.kind)).toEqual(['never-yields']);
  expect((await engine.check(target('self_wake', 'solutions'))).status).toBe('passed');
});
