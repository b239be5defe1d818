import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { seeded, SEEDS } from 'async-lessons/harness';
import { mapConcurrent } from './buffered_async_iter';

// Fake setTimeout & co. and Date; setImmediate stays real (the unhandled-rejection check waits on it).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

interface Stats {
  /** Items the source has produced so far. */
  pulls: number;
  /** Times the source's `finally` ran. */
  closed: number;
  /** Calls of fn. */
  calls: number;
  inFlight: number;
  maxInFlight: number;
}

function setup(seed: number, opts: { rejectAt?: number; error?: unknown } = {}) {
  const rng = seeded(seed);
  const n = rng.int(10, 14);
  const limit = rng.int(2, 4);
  const durations = Array.from({ length: n }, () => rng.int(5, 60));
  const values = Array.from({ length: n }, () => rng.int(0, 9999));
  const stats: Stats = { pulls: 0, closed: 0, calls: 0, inFlight: 0, maxInFlight: 0 };
  async function* source(): AsyncGenerator<number, void, undefined> {
    try {
      for (let i = 0; i < n; i++) {
        stats.pulls += 1;
        yield i;
      }
    } finally {
      stats.closed += 1;
    }
  }
  const fn = (i: number): Promise<number> => {
    stats.calls += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    return new Promise<number>((resolve, reject) => {
      setTimeout(() => {
        stats.inFlight -= 1;
        if (i === opts.rejectAt) reject(opts.error);
        else resolve(values[i] ?? -1);
      }, durations[i]);
    });
  };
  return { n, limit, durations, values, stats, source, fn };
}

/**
 * The time `buffered(limit)` finishes, worked out by hand: item i is yielded at
 * y(i) = max(y(i-1), start(i) + d(i)); the first `limit` items start at 0, and item i+limit
 * starts when item i is yielded (its slot is given back then).
 */
function expectedTotal(durations: readonly number[], limit: number): number {
  const y: number[] = [];
  durations.forEach((d, i) => {
    const start = i < limit ? 0 : (y[i - limit] ?? 0);
    y.push(Math.max(y[i - 1] ?? 0, start + d));
  });
  return y[y.length - 1] ?? 0;
}

type Settled<T> = { state: 'pending' } | { state: 'fulfilled'; value: T } | { state: 'rejected'; error: unknown };

/** Moves the fake clock from timer to timer until `p` settles (or no timer is left). */
async function drive<T>(p: Promise<T>): Promise<Settled<T>> {
  let now: Settled<T> = { state: 'pending' };
  p.then(
    (value) => {
      now = { state: 'fulfilled', value };
    },
    (error: unknown) => {
      now = { state: 'rejected', error };
    },
  );
  await vi.advanceTimersByTimeAsync(0);
  for (let i = 0; i < 500 && now.state === 'pending' && vi.getTimerCount() > 0; i++) {
    await vi.advanceTimersToNextTimerAsync();
  }
  await vi.advanceTimersByTimeAsync(0);
  return now;
}

async function collectAll<U>(gen: AsyncIterable<U>): Promise<U[]> {
  const out: U[] = [];
  for await (const v of gen) out.push(v);
  return out;
}

/** As in race_abort: reports rejections Node found unhandled while `body` ran. */
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

test('keeps limit calls in flight', async () => {
  for (const seed of SEEDS) {
    const s = setup(seed);
    const out = await drive(collectAll(mapConcurrent(s.source(), s.limit, s.fn)));
    expect(out.state, 'mapConcurrent should finish').toBe('fulfilled');
    expect(
      s.stats.maxInFlight,
      `with limit ${s.limit} and ${s.n} items, ${s.limit} calls of fn should run at the same time ` +
        `(at most ${s.limit}; it reached ${s.stats.maxInFlight}). Start up to limit calls before awaiting the oldest`,
    ).toBe(s.limit);
    expect(s.stats.calls, 'fn should be called once per item').toBe(s.n);
  }
});

test('works for any limit and any number of items', async () => {
  const FALSY: unknown[] = [0, '', false, null, undefined, Number.NaN];
  const shapes: Array<[number, number]> = [[1, 5], [2, 0], [7, 3], [7, 20], [3, 3], [1, 0], [5, 1]];
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    shapes.push([rng.int(1, 9), rng.int(0, 25)]);
  }
  for (const [i, [limit, n]] of shapes.entries()) {
    const rng = seeded(1000 + i);
    // Items and results include falsy values: nothing but `done` ends the source.
    const items = Array.from({ length: n }, (_, k) => (rng.int(0, 2) === 0 ? FALSY[k % FALSY.length] : `item${k}`));
    const outputs = Array.from({ length: n }, (_, k) => (rng.int(0, 2) === 0 ? FALSY[(k + 1) % FALSY.length] : rng.int(1, 999)));
    const durations = Array.from({ length: n }, () => rng.int(1, 50));
    const args: unknown[] = [];
    const stats = { inFlight: 0, maxInFlight: 0 };
    async function* source(): AsyncGenerator<unknown, void, undefined> {
      for (const item of items) yield item;
    }
    const fn = (x: unknown): Promise<unknown> => {
      const k = args.length;
      args.push(x);
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      return new Promise((resolve) => {
        setTimeout(() => {
          stats.inFlight -= 1;
          resolve(outputs[k]);
        }, durations[k] ?? 0);
      });
    };
    const total = expectedTotal(durations, limit);
    let done = false;
    const run = collectAll(mapConcurrent(source(), limit, fn)).then((v) => {
      done = true;
      return v;
    });
    const what = `limit ${limit}, ${n} item(s)`;
    if (total > 0) {
      await vi.advanceTimersByTimeAsync(total - 1);
      expect(done, `${what}: buffered(${limit}) cannot be done before ${total} ms`).toBe(false);
    }
    await vi.advanceTimersByTimeAsync(total > 0 ? 1 : 0);
    expect(
      done,
      `${what}, durations ${durations.join(', ')} ms: buffered(${limit}) should be done at ${total} ms. Keep ` +
        `min(limit, items left) calls in flight; limit is whatever the caller says, not a fixed pool size`,
    ).toBe(true);
    const out = await run;
    expect(args, `${what}: fn is called once per item, with the items in order (and never with an item that does not exist)`).toEqual(items);
    expect(out, `${what}: every result comes out, in input order, falsy ones too`).toEqual(outputs);
    expect(stats.maxInFlight, `${what}: at most ${limit} calls in flight, and as many as there are items`).toBe(Math.min(limit, n));
  }
});

test('finishes at the hand-computed time', async () => {
  for (const seed of SEEDS) {
    const s = setup(seed);
    const total = expectedTotal(s.durations, s.limit);
    let done = false;
    const run = collectAll(mapConcurrent(s.source(), s.limit, s.fn)).then((v) => {
      done = true;
      return v;
    });
    await vi.advanceTimersByTimeAsync(total - 1);
    const sum = s.durations.reduce((a, b) => a + b, 0);
    expect(
      done,
      `durations ${s.durations.join(', ')} ms with limit ${s.limit}: buffered(${s.limit}) finishes at ${total} ms, ` +
        `not before (it was done by ${total - 1} ms). An item's slot frees up only when its result is yielded`,
    ).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(
      done,
      `durations ${s.durations.join(', ')} ms with limit ${s.limit}: buffered(${s.limit}) should finish at ${total} ms ` +
        `(one at a time would take ${sum} ms). Refill each slot as soon as the oldest result is yielded, ` +
        'not batch by batch',
    ).toBe(true);
    await run;
  }
});

test('yields in input order', async () => {
  for (const seed of SEEDS) {
    const s = setup(seed);
    const out = await drive(collectAll(mapConcurrent(s.source(), s.limit, s.fn)));
    expect(
      out,
      `the results should come out in input order, whatever order the calls finish in (seed ${seed})`,
    ).toEqual({ state: 'fulfilled', value: s.values });
  }
});

test('pulls the source lazily', async () => {
  for (const seed of SEEDS) {
    const s = setup(seed);
    const it = mapConcurrent(s.source(), s.limit, s.fn);
    expect(s.stats.pulls, 'nothing should be pulled before the first next()').toBe(0);
    for (let k = 1; k <= 2; k++) {
      const r = await drive(it.next());
      expect(r, `item ${k} should arrive`).toEqual({ state: 'fulfilled', value: { done: false, value: s.values[k - 1] } });
    }
    expect(
      s.stats.pulls,
      `after 2 results were consumed with limit ${s.limit}, at most 2 + ${s.limit} = ${2 + s.limit} items may have ` +
        `been pulled from the source, but ${s.stats.pulls} were. Pull only to refill the buffer: the source ` +
        'could be endless',
    ).toBeLessThanOrEqual(2 + s.limit);
    await drive(it.return());
  }
});

test('break stops the source and fn', async () => {
  for (const seed of SEEDS) {
    const s = setup(seed);
    const got: number[] = [];
    const consumer = (async () => {
      for await (const v of mapConcurrent(s.source(), s.limit, s.fn)) {
        got.push(v);
        if (got.length === 2) break;
      }
    })();
    const r = await drive(consumer);
    expect(r.state, 'the consumer loop should end after its break').toBe('fulfilled');
    expect(
      s.stats.closed,
      "breaking out of for await calls mapConcurrent's return(); it should then close the source (call its " +
        "return()), so the source's finally runs",
    ).toBe(1);
    const calls = s.stats.calls;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.stats.calls, 'after the consumer stopped, fn must not be called for any more items').toBe(calls);
    expect(s.stats.pulls, 'and nothing more may be pulled from the source').toBeLessThanOrEqual(2 + s.limit);
  }
});

test('a rejection throws at its position', async () => {
  for (const seed of SEEDS) {
    const error = new Error(`item failed (seed ${seed})`);
    const limit = setup(seed).limit; // the same seed gives the same limit below
    const rejectAt = seeded(seed + 1).int(1, limit - 1); // inside the first buffer
    const s = setup(seed, { rejectAt, error });
    // Make the failing item finish first, while item 0 is still running.
    s.durations[0] = 100;
    s.durations[rejectAt] = 10;
    const got: number[] = [];
    let caught: unknown;
    const unhandled = await unhandledDuring(async () => {
      const consumer = (async () => {
        try {
          for await (const v of mapConcurrent(s.source(), s.limit, s.fn)) got.push(v);
        } catch (e) {
          caught = e;
        }
      })();
      await drive(consumer);
      await vi.runAllTimersAsync();
    });
    expect(got, `the results before the failing item (index ${rejectAt}) should still be yielded`).toEqual(
      s.values.slice(0, rejectAt),
    );
    expect(caught, 'then the loop should throw the very error fn rejected with').toBe(error);
    expect(
      unhandled.map(String),
      'the failing call rejected while mapConcurrent was still waiting for an earlier item, and nobody had ' +
        'attached a handler to it yet, so Node reported an unhandled rejection. Attach a handler when you ' +
        'store each promise (p.catch(() => {}) is enough; awaiting p later still throws)',
    ).toEqual([]);
  }
});
