import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { getEventListeners } from 'node:events';
import { banned, seeded, SEEDS } from 'async-lessons/harness';
import { firstOf, sleep, type Task } from './race_abort';

// Fake timers for setTimeout & co. and Date only. setImmediate stays real: the unhandled-rejection
// check below waits on it for Node to report rejections.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

type Settled<T> = { state: 'pending' } | { state: 'fulfilled'; value: T } | { state: 'rejected'; error: unknown };

function watch<T>(p: Promise<T>): { readonly now: Settled<T> } {
  let now: Settled<T> = { state: 'pending' };
  p.then(
    (value) => {
      now = { state: 'fulfilled', value };
    },
    (error: unknown) => {
      now = { state: 'rejected', error };
    },
  );
  return {
    get now() {
      return now;
    },
  };
}

/** A race of sleeping tasks with seeded, distinct durations, built on the learner's `sleep`. */
function race(seed: number, opts: { n?: number; offset?: number } = {}) {
  const rng = seeded(seed);
  const n = opts.n ?? rng.int(3, 5);
  const durations = rng.distinct(n, 20, 200).map((d) => d + (opts.offset ?? 0));
  const values = durations.map(() => rng.int(0, 9999));
  const signals: Array<AbortSignal | undefined> = durations.map(() => undefined);
  const tasks: Task<number>[] = durations.map((ms, i) => (signal) => {
    signals[i] = signal;
    return sleep(ms, signal).then(() => values[i] ?? -1);
  });
  const fastest = durations.indexOf(Math.min(...durations));
  return { durations, values, signals, tasks, fastest, min: durations[fastest] ?? 0 };
}

/**
 * Runs `body` with the test's own `unhandledRejection` listener in place of vitest's, and reports
 * the rejections Node found unhandled. Node reports them after the microtask queue drains, so this
 * waits a few real macrotasks (setImmediate is not faked here) before putting vitest's back.
 */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const saved = process.listeners('unhandledRejection');
  const spy = (reason: unknown): void => {
    seen.push(reason);
  };
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', spy);
  try {
    await body();
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  } finally {
    process.removeListener('unhandledRejection', spy);
    for (const l of saved) process.on('unhandledRejection', l);
  }
  return seen;
}

test("settles with the fastest task's value on time", async () => {
  for (const seed of SEEDS) {
    const r = race(seed);
    const p = watch(firstOf(r.tasks));
    await vi.advanceTimersByTimeAsync(r.min - 1);
    expect(p.now.state, `durations ${r.durations.join(', ')} ms: nothing may settle before ${r.min} ms`).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(
      p.now,
      `the fastest task (${r.min} ms) should win with its value ${r.values[r.fastest]} (seed ${seed})`,
    ).toEqual({ state: 'fulfilled', value: r.values[r.fastest] });
    await vi.runAllTimersAsync();
  }
});

test('leaves no timers behind', async () => {
  for (const seed of SEEDS) {
    const r = race(seed);
    const p = watch(firstOf(r.tasks));
    await vi.advanceTimersByTimeAsync(r.min);
    expect(p.now.state, 'firstOf should have settled').toBe('fulfilled');
    expect(
      vi.getTimerCount(),
      `right after the winner settled, the ${r.durations.length - 1} losers still have timers set. Abort their ` +
        "signals, and make sleep clear its timer on 'abort': Promise.race alone lets losers run to the end",
    ).toBe(0);
    await vi.runAllTimersAsync();
  }
});

test('aborts every loser', async () => {
  for (const seed of SEEDS) {
    const r = race(seed);
    const p = watch(firstOf(r.tasks));
    await vi.advanceTimersByTimeAsync(r.min);
    expect(p.now.state, 'firstOf should have settled').toBe('fulfilled');
    r.signals.forEach((signal, i) => {
      expect(signal, `task ${i} should have been started with an AbortSignal`).toBeInstanceOf(AbortSignal);
      if (i !== r.fastest) {
        expect(signal?.aborted, `task ${i} (${r.durations[i]} ms) lost, so its signal should be aborted`).toBe(true);
      }
    });
    await vi.runAllTimersAsync();
  }
  // A task that rejects first wins the race too, and the others are still stopped.
  const boom = new Error('the fastest task failed');
  const signals: AbortSignal[] = [];
  const tasks: Task<string>[] = [
    (s) => (signals.push(s), sleep(50, s).then(() => 'slow')),
    (s) => (signals.push(s), sleep(10, s).then(() => Promise.reject(boom))),
  ];
  const p = watch(firstOf(tasks));
  await vi.advanceTimersByTimeAsync(10);
  expect(p.now, 'when the first task to settle rejects, firstOf rejects with its error (like Promise.race)').toEqual({
    state: 'rejected',
    error: boom,
  });
  expect(signals[0]?.aborted, 'the slower task should be aborted after the failure too').toBe(true);
  expect(vi.getTimerCount(), 'and its timer cleared').toBe(0);
});

test("leaves the winner's signal alone", async () => {
  for (const seed of SEEDS) {
    for (const n of [1, 2, seeded(seed).int(3, 7)]) {
      const r = race(seed, { n });
      const p = watch(firstOf(r.tasks));
      await vi.advanceTimersByTimeAsync(r.min);
      expect(p.now, `${n} task(s): the fastest (${r.min} ms) wins`).toEqual({ state: 'fulfilled', value: r.values[r.fastest] });
      expect(
        r.signals[r.fastest]?.aborted,
        `the winner's signal was aborted too (${n} task(s), seed ${seed}). Give every task its own AbortController ` +
          'and abort only the losers: the winner may still use its signal (a cleanup, a follow-up request), ' +
          'just as select! drops only the losing branch',
      ).toBe(false);
      r.signals.forEach((signal, i) => {
        if (i !== r.fastest) expect(signal?.aborted, `loser ${i} is aborted`).toBe(true);
      });
      expect(vi.getTimerCount(), 'no timers are left').toBe(0);
    }
  }
});

test('two races side by side', async () => {
  for (const seed of SEEDS) {
    const early = race(seed);
    const late = race(seed + 1, { offset: 300 }); // every task of this race is slower than any of the first
    const p1 = watch(firstOf(early.tasks));
    const p2 = watch(firstOf(late.tasks));
    await vi.advanceTimersByTimeAsync(early.min);
    expect(p1.now, 'the first race settles with its fastest value').toEqual({ state: 'fulfilled', value: early.values[early.fastest] });
    expect(
      late.signals.map((sig) => sig?.aborted),
      'settling the first race aborted tasks of the second race, which is still running: each call of firstOf ' +
        'must abort only its own losers (keep its controllers in the call, not in a module-level list)',
    ).toEqual(late.signals.map(() => false));
    await vi.advanceTimersByTimeAsync(late.min - early.min);
    expect(p2.now, `the second race settles at ${late.min} ms with its fastest value (seed ${seed})`).toEqual({
      state: 'fulfilled',
      value: late.values[late.fastest],
    });
    expect(vi.getTimerCount(), 'and no timers are left').toBe(0);
  }
});

test('an abort mid-sleep rejects and clears the timer', async () => {
  const c = new AbortController();
  const p = watch(sleep(100, c.signal));
  await vi.advanceTimersByTimeAsync(40);
  expect(vi.getTimerCount(), 'a sleeping sleep() has one timer').toBe(1);
  const reason = new Error('stop');
  c.abort(reason);
  await vi.advanceTimersByTimeAsync(0);
  expect(
    p.now,
    "sleep should reject with signal.reason as soon as the signal aborts: listen for 'abort'. Resolving " +
      'instead would let the cancelled task carry on as if it had slept',
  ).toEqual({ state: 'rejected', error: reason });
  expect(vi.getTimerCount(), 'the abort should clear the timer (clearTimeout)').toBe(0);
  await vi.advanceTimersByTimeAsync(100);
  expect(p.now.state, 'and it must stay rejected').toBe('rejected');
});

test('sleep removes its abort listener when it finishes', async () => {
  const c = new AbortController();
  for (let i = 1; i <= 5; i++) {
    const p = watch(sleep(10, c.signal));
    expect(getEventListeners(c.signal, 'abort').length, "while it waits, sleep should listen for 'abort' on its signal").toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(p.now.state, 'sleep(10) should resolve after 10 ms').toBe('fulfilled');
    expect(
      getEventListeners(c.signal, 'abort').length,
      `after ${i} finished sleep(s) on one long-lived signal, it still has listeners: remove the 'abort' ` +
        'listener when the timer fires (removeEventListener), or every sleep leaks one',
    ).toBe(0);
  }
});

test('a pre-aborted signal rejects at once', async () => {
  const c = new AbortController();
  const reason = new Error('already cancelled');
  c.abort(reason);
  const p = watch(sleep(100, c.signal));
  await vi.advanceTimersByTimeAsync(0);
  expect(
    p.now,
    "an aborted signal never fires 'abort' again, so sleep must check signal.aborted first and reject at once " +
      'with signal.reason',
  ).toEqual({ state: 'rejected', error: reason });
  expect(vi.getTimerCount(), 'no timer should be started for an already-aborted signal').toBe(0);
  expect(getEventListeners(c.signal, 'abort').length, 'and no listener added').toBe(0);
});

test('does not leave unhandled rejections', async () => {
  for (const seed of SEEDS) {
    const r = race(seed);
    const unhandled = await unhandledDuring(async () => {
      const p = watch(firstOf(r.tasks));
      await vi.advanceTimersByTimeAsync(r.min);
      expect(p.now.state, 'firstOf should have settled').toBe('fulfilled');
      await vi.runAllTimersAsync();
    });
    expect(
      unhandled.map(String),
      'aborted losers reject with an AbortError; nobody handled those rejections. Every promise firstOf ' +
        'creates from a task needs a rejection handler (Promise.race attaches one to each input)',
    ).toEqual([]);
  }
});

test('uses the clock the checks control', () => {
  const f = banned(
    new URL('./race_abort.ts', import.meta.url),
    ['import:node:timers', 'import:vitest'],
    'use the global setTimeout/clearTimeout: node:timers/promises runs on a real clock the checks cannot move',
  );
  expect(f, f.join('\n')).toEqual([]);
});
