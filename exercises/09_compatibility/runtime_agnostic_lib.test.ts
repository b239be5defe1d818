import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { SEEDS, banned, seeded } from 'async-lessons/harness';
import { nodeRuntime } from './node_runtime';
import { retry, type Runtime } from './runtime_agnostic_lib';

// Taken before any test fakes timers: the virtual runtime's driver uses it to let promise jobs run.
const realSetImmediate = setImmediate;
const tick = () => new Promise<void>((resolve) => realSetImmediate(resolve));

// Every test runs on fake Node timers, even those that use VirtualRuntime: a library that calls the
// global setTimeout then gets a timer that never fires and is thrown away after the test, instead of
// a real one that goes on retrying in the background, into later checks.
beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** A runtime whose clock moves only when the check drives it: the course's stand-in for "not Node". */
class VirtualRuntime implements Runtime {
  #now = 0;
  #timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  #seq = 0;
  sleeps: number[] = [];

  now(): number {
    return this.#now;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve) => {
      this.#timers.push({ at: this.#now + ms, seq: this.#seq++, resolve });
    });
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Fires the earliest timer; false when there is none. */
  fireNext(): boolean {
    const next = [...this.#timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
    if (next === undefined) return false;
    this.#timers = this.#timers.filter((t) => t !== next);
    this.#now = Math.max(this.#now, next.at);
    next.resolve();
    return true;
  }
}

const STALLED =
  'retry is waiting, but not on anything the runtime it was given knows about: no runtime.sleep is pending. ' +
  'A sleep that goes to a global timer (setTimeout) never moves on under another runtime: wait with runtime.sleep(ms)';

/** Runs the runtimes until every promise settles, firing the earliest virtual timer whenever all are idle. */
async function drive(runtimes: VirtualRuntime[], promises: Array<Promise<unknown>>): Promise<void> {
  let open = promises.length;
  for (const p of promises) p.then(() => (open -= 1), () => (open -= 1));
  for (let steps = 0; steps < 1000; steps++) {
    await tick();
    if (open === 0) return;
    const fired = runtimes.map((rt) => rt.fireNext());
    if (!fired.includes(true)) throw new Error(STALLED);
  }
  throw new Error('retry kept sleeping for 1000 timers: does it stop after options.attempts?');
}

/** What `promise` rejected with (undefined when it resolved). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** An operation that fails until attempt `okAt` and records when (on `clock`) each attempt began. */
function flaky(clock: () => number, okAt: number) {
  const log = { times: [] as number[], attempts: [] as number[], errors: [] as Error[] };
  const op = async (attempt: number): Promise<string> => {
    log.times.push(clock());
    log.attempts.push(attempt);
    await null;
    if (log.times.length < okAt) {
      const error = new Error(`attempt ${log.times.length} failed`);
      log.errors.push(error);
      throw error;
    }
    return `ok on attempt ${log.times.length}`;
  };
  return { op, log };
}

function schedule(baseMs: number, n: number): number[] {
  const out = [0];
  for (let i = 1; i < n; i++) out.push((out[i - 1] ?? 0) + baseMs * 2 ** (i - 1));
  return out;
}

test('under VirtualRuntime the attempts happen at 0, 100, 300, 700', async () => {
  // Only calls made from this very copy of the library count: other code in this worker (vitest, the
  // engine, timers an earlier check of another copy left running) may use timers too.
  const library = fileURLToPath(new URL('./runtime_agnostic_lib.ts', import.meta.url));
  const original = globalThis.setTimeout;
  const fromLibrary: string[] = [];
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((...args: Parameters<typeof setTimeout>) => {
    const stack = new Error().stack ?? '';
    if (stack.includes(library)) fromLibrary.push(stack);
    return Reflect.apply(original, globalThis, args);
  }) as typeof setTimeout);
  const cases: Array<[number, number]> = [[100, 4], ...SEEDS.map((s): [number, number] => [seeded(s).int(10, 150), seeded(s + 1).int(2, 6)])];
  for (const [baseMs, attempts] of cases) {
    const rt = new VirtualRuntime();
    const { op, log } = flaky(() => rt.now(), attempts);
    const result = retry(op, { attempts, baseMs }, rt);
    await drive([rt], [result]);
    expect(await result, 'retry resolves with what the successful attempt returned').toBe(`ok on attempt ${attempts}`);
    expect(
      log.times,
      `attempt start times on the runtime's clock with baseMs ${baseMs}: the waits are baseMs, 2·baseMs, 4·baseMs, …`,
    ).toEqual(schedule(baseMs, attempts));
    expect(log.attempts, 'op(n) is called with the attempt number, from 1').toEqual(Array.from({ length: attempts }, (_, i) => i + 1));
    expect(rt.pendingTimers, 'no sleep is left behind after the success').toBe(0);
  }
  expect(
    fromLibrary.length,
    `retry never touches the global setTimeout: all its waiting goes through runtime.sleep. It was called from:\n${fromLibrary[0] ?? ''}`,
  ).toBe(0);
});

test('gives up after the last attempt, with its error, without a last sleep', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const attempts = rng.int(1, 6);
    const baseMs = rng.int(10, 200);
    const rt = new VirtualRuntime();
    const { op, log } = flaky(() => rt.now(), Infinity);
    const result = retry(op, { attempts, baseMs }, rt);
    await drive([rt], [result]);
    const error = await rejection(result);
    expect(error, `every attempt failed: retry rejects with the very error of the last one, attempt ${attempts}`).toBe(
      log.errors[attempts - 1],
    );
    expect(log.attempts, `op is called exactly ${attempts} times`).toHaveLength(attempts);
    expect(rt.sleeps, `sleeps between the ${attempts} attempts, none after the last`).toEqual(
      Array.from({ length: attempts - 1 }, (_, i) => baseMs * 2 ** i),
    );
  }
});

test('timeoutMs: no attempt starts too late, and retry gives up without sleeping', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const baseMs = rng.int(20, 100);
    const full = schedule(baseMs, 10);
    const last = rng.int(1, 6);
    // Between attempt `last` (index last-1) and the next one, sometimes exactly on the next start.
    const timeoutMs = rng.int(0, 1) === 0 ? (full[last] ?? 0) - 1 : (full[last - 1] ?? 0) + rng.int(0, baseMs - 1);
    const allowed = full.filter((t) => t <= timeoutMs);
    const rt = new VirtualRuntime();
    const { op, log } = flaky(() => rt.now(), Infinity);
    const result = retry(op, { attempts: 10, baseMs, timeoutMs }, rt);
    await drive([rt], [result]);
    expect(await rejection(result), `retry rejects with the error of the last attempt it made, attempt ${allowed.length}`).toBe(
      log.errors[allowed.length - 1],
    );
    expect(log.times, `timeoutMs ${timeoutMs}, baseMs ${baseMs}: the attempts that start no later than ${timeoutMs} ms`).toEqual(allowed);
    expect(rt.now(), 'when the next attempt would start too late, retry gives up at once instead of sleeping first').toBe(
      allowed[allowed.length - 1],
    );
  }
  const rt = new VirtualRuntime();
  const { op, log } = flaky(() => rt.now(), Infinity);
  const onTime = retry(op, { attempts: 3, baseMs: 50, timeoutMs: 150 }, rt);
  await drive([rt], [onTime]);
  expect(await rejection(onTime), 'rejects with the error of attempt 3').toBe(log.errors[2]);
  expect(log.times, 'an attempt that starts exactly at timeoutMs is still made').toEqual([0, 50, 150]);
});

test('timeoutMs counts the time the attempts themselves take', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const baseMs = rng.int(10, 40);
    const opMs = rng.int(baseMs, 4 * baseMs); // each attempt takes a while before it fails
    const timeoutMs = rng.int(6, 12) * baseMs;
    // The expected starts: each attempt runs opMs, then the backoff; stop when the next start is too late.
    const starts: number[] = [];
    for (let t = 0, k = 1; k <= 10; k++) {
      starts.push(t);
      t += opMs;
      const delay = baseMs * 2 ** (k - 1);
      if (k === 10 || t + delay > timeoutMs) break;
      t += delay;
    }
    const rt = new VirtualRuntime();
    const times: number[] = [];
    const op = async (attempt: number): Promise<never> => {
      times.push(rt.now());
      await rt.sleep(opMs);
      throw new Error(`attempt ${attempt} failed after ${opMs} ms`);
    };
    const result = retry(op, { attempts: 10, baseMs, timeoutMs }, rt);
    await drive([rt], [result]);
    expect(await rejection(result)).toBeInstanceOf(Error);
    expect(
      times,
      `each attempt took ${opMs} ms before it failed (baseMs ${baseMs}, timeoutMs ${timeoutMs}): "no attempt starts ` +
        'later than timeoutMs after the first" is about the clock (runtime.now()), which the attempts move too, not ' +
        `only about the sleeps retry itself asked for (seed ${seed})`,
    ).toEqual(starts);
  }
});

test('each call uses the runtime it was given', async () => {
  for (const seed of SEEDS) {
    const [a = 0, b = 0] = seeded(seed).distinct(2, 10, 90);
    const ra = new VirtualRuntime();
    const rb = new VirtualRuntime();
    const fa = flaky(() => ra.now(), 4);
    const fb = flaky(() => rb.now(), 3);
    const pa = retry(fa.op, { attempts: 4, baseMs: a }, ra);
    const pb = retry(fb.op, { attempts: 3, baseMs: b }, rb);
    await drive([ra, rb], [pa, pb]);
    expect(fa.log.times, `two retries at once, on two runtimes: the first sleeps on its own clock (baseMs ${a})`).toEqual(schedule(a, 4));
    expect(fb.log.times, `… and the second on its own (baseMs ${b}): keep the runtime per call, not in a module variable`).toEqual(
      schedule(b, 3),
    );
  }
});

test('nodeRuntime runs retry on Node timers', async () => {
  vi.useRealTimers();
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  const start = nodeRuntime.now();
  const { op, log } = flaky(() => nodeRuntime.now() - start, 4);
  let settled = false;
  const result = retry(op, { attempts: 4, baseMs: 100 }, nodeRuntime).finally(() => (settled = true));
  await vi.advanceTimersByTimeAsync(699);
  expect(settled, 'on Node timers the fourth attempt starts at 700 ms, not before').toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(await result).toBe('ok on attempt 4');
  expect(log.times, "attempt times on nodeRuntime's clock (Node's timers, faked by the check)").toEqual([0, 100, 300, 700]);
  expect(vi.getTimerCount(), 'no timer is left running after the success').toBe(0);
});

test('nodeRuntime: sleep waits exactly ms and now follows the clock', async () => {
  vi.useRealTimers();
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  for (const seed of SEEDS) {
    const ms = seeded(seed).int(1, 500);
    const before = nodeRuntime.now();
    let done = false;
    void nodeRuntime.sleep(ms).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(ms - 1);
    expect(done, `nodeRuntime.sleep(${ms}) has not resolved ${ms - 1} ms later`).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done, `nodeRuntime.sleep(${ms}) resolves ${ms} ms later, on setTimeout`).toBe(true);
    expect(nodeRuntime.now() - before, 'nodeRuntime.now() reads the real clock (Date.now() or performance.now())').toBe(ms);
  }
});

test('the library reaches for no global timer or clock', () => {
  const found = banned(
    new URL('./runtime_agnostic_lib.ts', import.meta.url),
    [
      'setTimeout', 'setInterval', 'setImmediate', 'Date', 'performance', 'process',
      'import:node:timers', 'import:node:timers/promises', 'import:node:perf_hooks', 'import:./node_runtime', 'import:async-lessons',
    ],
    'the library asks the runtime it is given for sleep and now; only node_runtime.ts may know Node',
  );
  expect(found, found.join('\n')).toEqual([]);
});
