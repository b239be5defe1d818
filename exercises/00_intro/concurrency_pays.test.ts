import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { seeded, SEEDS } from 'async-lessons/harness';
import { fetchAll } from './concurrency_pays';

interface User {
  id: number;
  name: string;
}

// How long the fake API takes for one id: 94 to 100 ms, so the requests
// finish in a different order from the one they were started in.
const delayFor = (id: number): number => 100 - (id % 7);

/** A fake user API on fake timers that records what the caller did with it. */
function fakeApi<U = User>(options: { failing?: { id: number; afterMs: number; error: unknown }; answer?: (id: number) => U } = {}) {
  const { failing, answer } = options;
  const log = { calls: [] as number[], finished: [] as number[], inFlight: 0, maxInFlight: 0 };
  const fetchUser = (id: number): Promise<U> => {
    log.calls.push(id);
    log.inFlight += 1;
    log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
    return new Promise<U>((resolve, reject) => {
      const fails = failing !== undefined && failing.id === id;
      setTimeout(
        () => {
          log.inFlight -= 1;
          log.finished.push(id);
          if (fails) reject(failing.error);
          else resolve(answer ? answer(id) : ({ id, name: `user-${id}` } as U));
        },
        fails ? failing.afterMs : delayFor(id),
      );
    });
  };
  return { fetchUser, log };
}

/**
 * Watches a promise so a test can ask, at any moment, whether it has settled. The value is copied
 * when the promise fulfils: what the caller got *then* is what counts, not what the array holds later.
 */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; rejected: boolean; value?: T; same?: T; error?: unknown } = {
    settled: false,
    rejected: false,
  };
  promise.then(
    (value) => Object.assign(state, { settled: true, same: value, value: Array.isArray(value) ? [...value] : value }),
    (error: unknown) => Object.assign(state, { settled: true, rejected: true, error }),
  );
  return state;
}

/** `n` distinct ids in a random order (never 13: the failure test adds it). */
function idsFor(seed: number, n = 50): number[] {
  return seeded(seed).distinct(n + 1, 1, 9999).filter((id) => id !== 13).slice(0, n);
}

/** List lengths for a seed: one, a few, around the old fixed 50, and well beyond it. */
function sizesFor(seed: number): number[] {
  const rng = seeded(seed * 31 + 1);
  return [1, rng.int(2, 9), rng.int(45, 55), rng.int(120, 260)];
}

const expected = (ids: readonly number[]) => ids.map((id) => ({ id, name: `user-${id}` }));

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

test('finishes any number of fetches in about 100 ms', async () => {
  for (const seed of SEEDS) {
    for (const n of sizesFor(seed)) {
      const { fetchUser, log } = fakeApi();
      const result = watch(fetchAll(idsFor(seed, n), fetchUser));
      await vi.advanceTimersByTimeAsync(100);
      expect(
        result.settled && !result.rejected,
        `Every fetch takes at most 100 ms, so ${n} fetches running at the same time ` +
          `are all done after 100 ms, and fetchAll should have resolved. It had not: ` +
          `${log.finished.length} of ${n} fetches had finished (seed ${seed}). Awaiting ` +
          `them one by one, or in groups, takes a multiple of that.`,
      ).toBe(true);
      await vi.runAllTimersAsync();
    }
  }
});

test('results follow the input order', async () => {
  for (const seed of SEEDS) {
    const ids = idsFor(seed);
    const { fetchUser } = fakeApi();
    const result = watch(fetchAll(ids, fetchUser));
    await vi.runAllTimersAsync();
    // Guard for the check itself: it only means something if requests started
    // together finish in a different order from the one they were started in.
    const finishOrder = [...ids].sort((a, b) => delayFor(a) - delayFor(b));
    expect(finishOrder, 'check setup: concurrent requests should finish out of order').not.toEqual(ids);
    expect(result.settled, `fetchAll should have resolved once every fetch finished (seed ${seed})`).toBe(true);
    expect(
      result.value,
      `fetchAll should return one user per id in the order of \`ids\`, not in the ` +
        `order the requests finished (seed ${seed}). Promise.all keeps the input order.`,
    ).toEqual(expected(ids));
  }
});

test('resolves only after the slowest request', async () => {
  for (const seed of SEEDS) {
    const ids = idsFor(seed, seeded(seed).int(20, 80));
    const slowest = Math.max(...ids.map(delayFor));
    const { fetchUser, log } = fakeApi();
    const result = watch(fetchAll(ids, fetchUser));
    await vi.advanceTimersByTimeAsync(slowest - 1);
    expect(
      result.settled,
      `At ${slowest - 1} ms ${ids.length - log.finished.length} of the ${ids.length} requests were still ` +
        `running, yet fetchAll had already settled (seed ${seed}). The caller must wait for every ` +
        `result: Promise.race settles with the first request to finish, Promise.all with the last.`,
    ).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.settled && !result.rejected, `fetchAll should resolve at ${slowest} ms, when the slowest request finishes (seed ${seed})`).toBe(true);
    expect(
      result.value,
      `when fetchAll resolved, its result should already hold every user, in the order of \`ids\` (seed ${seed})`,
    ).toEqual(expected(ids));
  }
});

test('all requests are in flight at once, whatever the count', async () => {
  for (const seed of SEEDS) {
    for (const n of sizesFor(seed)) {
      const ids = idsFor(seed, n);
      const { fetchUser, log } = fakeApi();
      const result = watch(fetchAll(ids, fetchUser));
      await vi.runAllTimersAsync();
      expect(result.settled, `fetchAll should have settled once every fetch finished (seed ${seed}, ${n} ids)`).toBe(true);
      expect(
        [...log.calls].sort((a, b) => a - b),
        `fetchAll should call fetchUser exactly once for each id (seed ${seed}, ${n} ids)`,
      ).toEqual([...ids].sort((a, b) => a - b));
      expect(
        log.maxInFlight,
        `All ${n} requests should be waiting on the network at the same moment, but ` +
          `the most at any moment was ${log.maxInFlight} (seed ${seed}). Start every ` +
          `request before you await any of them, with no cap on how many run together.`,
      ).toBe(n);
      expect(result.value, `the result should hold the ${n} users in the order of \`ids\``).toEqual(expected(ids));
    }
  }
});

test('an empty list gives an empty result at once', async () => {
  const { fetchUser, log } = fakeApi();
  const result = watch(fetchAll([], fetchUser));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  expect(
    result.settled && !result.rejected,
    'fetchAll([]) has nothing to wait for, so it should resolve straight away (without any timer). ' +
      'A hand-made countdown that resolves from inside a request\'s callback never resolves when there are no requests.',
  ).toBe(true);
  expect(result.value, 'fetchAll([]) should resolve to []').toEqual([]);
  expect(log.calls, 'fetchAll([]) should not call fetchUser').toEqual([]);
});

test('falsy results count as results', async () => {
  const falsy = [undefined, 0, '', null, false, Number.NaN] as const;
  for (const seed of SEEDS) {
    const ids = idsFor(seed, seeded(seed).int(6, 40));
    const answer = (id: number) => (id % 3 === 0 ? { id, name: `user-${id}` } : falsy[id % falsy.length]);
    const { fetchUser } = fakeApi({ answer });
    const result = watch(fetchAll(ids, fetchUser));
    await vi.advanceTimersByTimeAsync(100);
    expect(
      result.settled && !result.rejected,
      'some requests answer undefined, 0, "", null, false or NaN (a user that does not exist, say); those are ' +
        `answers too, and fetchAll should resolve once every request has answered (seed ${seed}). ` +
        'Do not decide whether a result arrived by looking at its value.',
    ).toBe(true);
    expect(result.value, `fetchAll should return every answer, falsy or not, in the order of \`ids\` (seed ${seed})`).toEqual(ids.map(answer));
  }
});

test('concurrent calls keep their own results', async () => {
  for (const seed of SEEDS) {
    const all = idsFor(seed, 60);
    const first = all.slice(0, seeded(seed).int(5, 30));
    const second = all.slice(first.length);
    const api1 = fakeApi();
    const api2 = fakeApi();
    const a = watch(fetchAll(first, api1.fetchUser));
    const b = watch(fetchAll(second, api2.fetchUser));
    await vi.runAllTimersAsync();
    expect(
      a.value,
      `two fetchAll calls ran at the same time; the first (${first.length} ids) should get exactly its own users ` +
        `(seed ${seed}). Keep every piece of state inside the call: a module-level array is shared by all calls.`,
    ).toEqual(expected(first));
    expect(b.value, `the second call (${second.length} ids) should get exactly its own users (seed ${seed})`).toEqual(expected(second));
    expect(a.same !== b.same, 'each call should resolve to its own array').toBe(true);
  }
});

test('rejects as soon as one fetch fails', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ids = idsFor(seed).slice(0, 49);
    ids.splice(rng.int(10, ids.length), 0, 13); // never first: one-by-one code must fail too
    const error = new Error('user 13 not found');
    const { fetchUser } = fakeApi({ failing: { id: 13, afterMs: 40, error } });
    const result = watch(fetchAll(ids, fetchUser));

    await vi.advanceTimersByTimeAsync(39);
    expect(
      result.settled,
      `fetchAll should still be waiting at 39 ms: nothing has failed yet (seed ${seed})`,
    ).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    expect(
      result.rejected,
      `The fetch for id 13 fails at 40 ms, so fetchAll should reject at 40 ms, not ` +
        `when the other requests finish at about 100 ms (seed ${seed}). The result ` +
        `is already known to be a failure; waiting longer only delays the error.`,
    ).toBe(true);
    expect(result.error, 'fetchAll should reject with the error the failing fetch gave').toBe(error);
    await vi.runAllTimersAsync();
  }
});
