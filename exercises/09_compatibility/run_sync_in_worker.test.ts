import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SEEDS, banned, seeded, tsWorker } from 'async-lessons/harness';
import { createSyncBridge, type SyncBridge } from './run_sync_in_worker';

const secret = `s${seeded(SEEDS[0] ?? 7).int(1e6, 9e6)}`;
let worker: Worker;
let bridge: SyncBridge;
const workerErrors: string[] = [];

beforeAll(async () => {
  worker = tsWorker(new URL('./run_sync_in_worker.worker.ts', import.meta.url), { secret });
  worker.on('error', (error) => workerErrors.push(String(error)));
  const [first] = await once(worker, 'message');
  if (first !== 'ready') throw new Error(`the bridge worker did not start: ${String(first)}`);
  bridge = createSyncBridge(worker);
}, 10_000);

afterAll(async () => {
  bridge?.close();
  await worker?.terminate();
});

/** Runs callSync, adding what the worker reported (if anything) to a failure. */
function call(name: string, args: unknown[], timeoutMs?: number): unknown {
  try {
    return timeoutMs === undefined ? bridge.callSync(name, args) : bridge.callSync(name, args, timeoutMs);
  } catch (error) {
    if (workerErrors.length > 0 && error instanceof Error) error.message += `\n(the worker reported: ${workerErrors.join('; ')})`;
    throw error;
  }
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

function isThenable(v: unknown): boolean {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof Reflect.get(v, 'then') === 'function';
}

test('returns a plain value, synchronously', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const [a, b] = [rng.int(-1000, 1000), rng.int(-1000, 1000)];
    let microtaskRan = false;
    queueMicrotask(() => (microtaskRan = true));
    const result = call('add', [a, b]);
    expect(isThenable(result), 'callSync returns the value itself, not a Promise: the caller is synchronous').toBe(false);
    expect(microtaskRan, 'callSync returned before any microtask could run: it blocked, it did not await').toBe(false);
    expect(result, `add(${a}, ${b}) computed by the worker`).toBe(a + b);
  }
});

test('the work runs on the worker thread, which really waits', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const nonce = `n${rng.int(1, 1e9)}`;
    const me = call('whoAmI', [nonce]);
    expect(me, 'whoAmI runs in the worker: its threadId (not 0, the main thread) and a value only the worker can sign').toEqual({
      threadId: worker.threadId,
      signed: `${nonce}:${secret}`,
    });
    const ms = rng.int(20, 60);
    const value = { seed, list: [rng.int(0, 9), rng.int(0, 9)] };
    const started = performance.now();
    const reply = call('sleepEcho', [ms, value]);
    const waited = performance.now() - started;
    expect(reply, 'sleepEcho(ms, value) replies with the value, how long it slept, and its thread').toMatchObject({ value, threadId: worker.threadId });
    expect(Reflect.get(Object(reply), 'sleptMs'), `the worker awaited a ${ms} ms timer`).toBeGreaterThanOrEqual(ms - 1);
    expect(waited, `callSync blocked until the worker's ${ms} ms were over`).toBeGreaterThanOrEqual(ms - 1);
  }
});

test('errors are rethrown with the same message', () => {
  for (const seed of SEEDS) {
    const message = `worker failure ${seeded(seed).int(1, 1e6)}`;
    const error = thrownBy(() => call('fail', [message]));
    expect(error, 'a function that throws in the worker makes callSync throw an Error').toBeInstanceOf(Error);
    expect(error instanceof Error && error.message, "the Error carries the worker's own message").toBe(message);
  }
  expect(String(thrownBy(() => call('noSuchFunction', [])))).toMatch(/no function named noSuchFunction/);
});

test('times out instead of waiting for ever', () => {
  const started = performance.now();
  const error = thrownBy(() => call('sleepEcho', [500, 'too slow'], 50));
  const took = performance.now() - started;
  expect(String(error), "callSync('sleepEcho', [500], 50): no reply within 50 ms, so it throws an Error saying it timed out").toMatch(/timed out/);
  expect(error).toBeInstanceOf(Error);
  expect(took, 'it gave up after about 50 ms, not after the worker finally replied (500 ms): pass the time left to Atomics.wait').toBeLessThan(400);
  expect(took, 'it waited the whole 50 ms first').toBeGreaterThanOrEqual(45);
});

test('the next call after a timeout gets its own reply, not the late one', () => {
  expect(String(thrownBy(() => call('sleepEcho', [150, 'old'], 30)))).toMatch(/timed out/);
  const reply = call('sleepEcho', [300, 'new'], 3000);
  expect(
    Reflect.get(Object(reply), 'value'),
    "the late reply to the call that timed out ('old') arrives first: a reply whose id is not this call's must be dropped",
  ).toBe('new');
  for (const seed of SEEDS) expect(call('echo', [seed]), 'later calls still get their own replies').toBe(seed);
});

test('late replies to earlier calls do not stretch the timeout', () => {
  // Three calls that time out at once; their late replies arrive about 100, 200 and 300 ms later,
  // while the next call waits for a reply that takes 400 ms, with 150 ms allowed.
  for (const ms of [100, 200, 300]) expect(String(thrownBy(() => call('sleepEcho', [ms, `late ${ms}`], 1)))).toMatch(/timed out/);
  const started = performance.now();
  const error = thrownBy(() => call('sleepEcho', [400, 'slow'], 150));
  const took = performance.now() - started;
  expect(
    String(error),
    'its own reply takes 400 ms and only 150 ms were allowed, so callSync must time out. It did not: after each late ' +
      'reply woke the wait, it waited timeoutMs again instead of only the time left until the deadline',
  ).toMatch(/timed out/);
  expect(
    took,
    'the late replies woke the wait three times; each wake-up must wait only for the time LEFT until the deadline, not ' +
      'for timeoutMs again (that gave up after about 450 ms instead of 150)',
  ).toBeLessThan(350);
  // Let the slow reply come and go, so the next checks start clean.
  expect(call('sleepEcho', [300, 'after'], 3000)).toMatchObject({ value: 'after' });
});

test('waiting sleeps on the signal: no spinning, no fixed naps', () => {
  // CPU time of the whole process while the worker sleeps 600 ms: a wait on Atomics uses almost none.
  const before = process.cpuUsage();
  expect(call('sleepEcho', [600, 'idle'])).toMatchObject({ value: 'idle' });
  const cpu = process.cpuUsage(before);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  expect(
    cpuMs,
    `while callSync waited 600 ms for the worker, this process used ${Math.round(cpuMs)} ms of CPU: it kept checking ` +
      'the port instead of sleeping. Atomics.wait(signal, 0, seen, left) sleeps until the worker notifies',
  ).toBeLessThan(150);
  // A reply that is ready at once is picked up at once, not after a nap.
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    call('echo', [i]);
    times.push(performance.now() - t0);
  }
  const median = [...times].sort((a, b) => a - b)[10] ?? 0;
  expect(
    median,
    `an echo round trip took ${median.toFixed(1)} ms (median of 21): the main thread slept a fixed time between looks ` +
      "at the port instead of waking on the worker's Atomics.notify",
  ).toBeLessThan(10);
});

test('many calls in a row, each with its own answer', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    for (let i = 0; i < 10; i++) {
      const value = { i, seed, n: rng.int(0, 1e6), nested: { s: `v${rng.int(0, 99)}` } };
      expect(call('echo', [value]), `echo call ${i + 1} of 10 (seed ${seed}) returns its own value`).toEqual(value);
    }
  }
});

test('close() closes the port', async () => {
  const closed = once(worker, 'message');
  bridge.close();
  const timer = new Promise<unknown[]>((resolve) => setTimeout(() => resolve(['still open after 1 s']), 1000).unref());
  const [what] = await Promise.race([closed, timer]);
  expect(what, "close() closes the bridge's port, so the worker sees its end close too").toBe('port closed');
});

test('bridges with the worker, not around it', () => {
  const found = banned(
    new URL('./run_sync_in_worker.ts', import.meta.url),
    ['import:async-lessons', 'import:node:child_process', 'import:./run_sync_in_worker.worker'],
    'the work is done by the given worker; this file only carries requests and replies',
  );
  expect(found, found.join('\n')).toEqual([]);
});
