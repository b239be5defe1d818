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
