import { afterEach, expect, test } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { SEEDS, banned, expectBusy, measureBlocking, seeded, tsWorker, type BlockingReport } from 'async-lessons/harness';
import { BlockingPool, hashAll } from './spawn_blocking';
import { type WhoAmI, hashOf, jobsRunHere } from './spawn_blocking_jobs';

const WORKER = new URL('./spawn_blocking_worker.ts', import.meta.url);

/** Every worker any test started, with whether it has exited: none may outlive its test. */
const started: Array<{ worker: Worker; exited: boolean; threadId: number }> = [];

function starter() {
  const mine: typeof started = [];
  const start = (): Worker => {
    const worker = tsWorker(WORKER);
    const entry = { worker, exited: false, threadId: worker.threadId };
    worker.once('exit', () => {
      entry.exited = true;
    });
    started.push(entry);
    mine.push(entry);
    return worker;
  };
  return { start, mine };
}

afterEach(async () => {
  // A failed check must not leave threads running (and holding the process open).
  await Promise.all(started.splice(0).filter((e) => !e.exited).map((e) => e.worker.terminate()));
});

const INLINE =
  'the job ran on the event loop\'s own thread (isMainThread true, threadId 0). Start workers with startWorker() and ' +
  'post them { id, job, args }; the reply comes back as a message';

test('jobs run on worker threads, at most size of them, reused, and close() ends them', async () => {
  const seed = SEEDS[0] ?? 7;
  const rng = seeded(seed);
  const size = 3;
  const { start, mine } = starter();
  const pool = new BlockingPool(start, size);
  expect(mine.length, 'no job yet: no worker yet').toBe(0);
  const pwds = Array.from({ length: rng.int(4, 7) }, (_, i) => `pw-${seed}-${i}-${rng.int(0, 1e6)}`);
  const hashes = await hashAll(pwds, pool, 0);
  expect(hashes, `hashAll gives each password's hash, in the input order (seed ${seed})`).toEqual(pwds.map((p) => hashOf(p)));
  const n = 2 * size;
  const replies = await Promise.all(Array.from({ length: n }, () => pool.run<WhoAmI>('whoami')));
  for (const r of replies) {
    expect(r.isMainThread, INLINE).toBe(false);
    expect(r.threadId, INLINE).not.toBe(0);
  }
  expect(mine.length, `${pwds.length} and then ${n} jobs on a pool of size ${size}: exactly ${size} workers, each reused`).toBe(size);
  const ids = new Set(replies.map((r) => r.threadId));
  expect(
    [...ids].sort(),
    'every reply comes from one of the workers startWorker() started, and all of them took jobs',
  ).toEqual(mine.map((e) => e.threadId).sort());
  await pool.close();
  expect(mine.map((e) => e.exited), 'once close() has resolved, each worker has emitted exit').toEqual(mine.map(() => true));
  expect(jobsRunHere(), `${jobsRunHere()} job(s) ran on the event loop's own thread: ${INLINE}`).toBe(0);
});

test('workers start only when there is work for them', async () => {
  const { start, mine } = starter();
  const pool = new BlockingPool(start, 3);
  expect(mine.length, 'no job yet: no worker yet').toBe(0);
  const r = await pool.run<WhoAmI>('whoami');
  expect(r.isMainThread, INLINE).toBe(false);
  expect(mine.length, 'one job at a time needs one worker, even on a pool of 3').toBe(1);
  await pool.run<WhoAmI>('whoami');
  expect(mine.length, 'the idle worker takes the next job').toBe(1);
  await pool.close();
});

test('queued jobs wait their turn, first in, first out', async () => {
  const rng = seeded(SEEDS[2] ?? 1234);
  const n = rng.int(4, 9);
  const { start } = starter();
  const pool = new BlockingPool(start, 1);
  const replies = await Promise.all(Array.from({ length: n }, () => pool.run<WhoAmI>('whoami')));
  expect(
    replies.map((r) => r.seq),
    `one worker, ${n} jobs submitted at once: it runs them in submission order (its job counter says which ran when)`,
  ).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  await pool.close();
});

test('a job that throws rejects with its message, and the pool keeps working', async () => {
  const { start, mine } = starter();
  const pool = new BlockingPool(start, 1);
  const message = `bad password #${seeded(SEEDS[3] ?? 98765).int(1, 1e6)}`;
  const results = await Promise.allSettled([pool.run('fail', [message]), pool.run<WhoAmI>('whoami')]);
  expect(results[0]?.status, 'the failing job rejects').toBe('rejected');
  const reason = results[0]?.status === 'rejected' ? results[0].reason : undefined;
  expect(reason instanceof Error && reason.message, 'with an Error carrying the job\'s own message').toBe(message);
  expect(results[1]?.status, 'the job beside it still succeeds').toBe('fulfilled');
  const after = await Promise.all([pool.run<WhoAmI>('whoami'), pool.run<WhoAmI>('whoami'), pool.run<WhoAmI>('whoami')]);
  expect(after.every((r) => !r.isMainThread), 'later jobs still run on the workers').toBe(true);
  expect(mine.length, 'a job that throws does not cost a worker').toBe(1);
  await pool.close();
});

test('the event loop keeps turning while 3 × 400 ms of hashing runs (real clock)', async () => {
  const { start } = starter();
  // One worker: on a 2-core machine two spinning workers could starve the event loop's own thread.
  const pool = new BlockingPool(start, 1);
  await pool.run('whoami'); // the worker is up: measure the hashing only
  const pwds = ['alpha', 'bravo', 'charlie'];
  expectBusy(1500); // an answer that hashes inline blocks on purpose; the check still measures it
  let report: BlockingReport<string[]>;
  try {
    report = await measureBlocking(() => hashAll(pwds, pool, 400));
  } finally {
    expectBusy(0);
  }
  // measureBlocking's heartbeat may have one setImmediate left: let it run, so nothing outlives the test.
  await new Promise((resolve) => setImmediate(resolve));
  await pool.close();
  expect(report.value).toEqual(pwds.map((p) => hashOf(p)));
  expect(
    report.maxGapMs,
    `the event loop stood still for ${Math.round(report.maxGapMs)} ms while the hashes ran: ${INLINE}`,
  ).toBeLessThan(200); // a hash takes 400 ms; the margin is for a busy machine's own pauses
}, 3000);

test('the pool uses the workers it is given', () => {
  const found = banned(
    new URL('./spawn_blocking.ts', import.meta.url),
    ['import:async-lessons', 'import:node:child_process', 'import:./spawn_blocking_worker'],
    'start workers with the startWorker function the pool is given',
  );
  expect(found, found.join('\n')).toEqual([]);
});
