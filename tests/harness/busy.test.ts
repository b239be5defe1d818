import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { expectBusy } from '../../src/harness/busy.js';

const saved = process.env.ASYNC_LESSONS_LIVE;
afterEach(() => {
  if (saved === undefined) delete process.env.ASYNC_LESSONS_LIVE;
  else process.env.ASYNC_LESSONS_LIVE = saved;
});

test('expectBusy tells the runner through its marker file, and is silent outside the runner', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'al-busy-'));
  try {
    delete process.env.ASYNC_LESSONS_LIVE;
    expect(() => expectBusy(100)).not.toThrow();
    process.env.ASYNC_LESSONS_LIVE = path.join(dir, 'live.jsonl');
    expectBusy(15_000);
    expectBusy(0);
    const events = (await readFile(process.env.ASYNC_LESSONS_LIVE, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event: string; ms: number });
    expect(events.map((e) => [e.event, e.ms])).toEqual([
      ['busy', 15_000],
      ['busy', 0],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
