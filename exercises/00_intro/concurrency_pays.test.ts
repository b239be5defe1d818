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
function fakeApi(failing?: { id: number; afterMs: number; error: Error }) {
  const log = { calls: [] as number[], finished: [] as number[], inFlight: 0, maxInFlight: 0 };
  const fetchUser = (id: number): Promise<User> => {
    log.calls.push(id);
    log.inFlight += 1;
    log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
    return new Promise<User>((resolve, reject) => {
      const fails = failing !== undefined && failing.id === id;
      setTimeout(
        () => {
          log.inFlight -= 1;
          log.finished.push(id);
          if (fails) reject(failing.error);
          else resolve({ id, name: `user-${id}` });
        },
        fails ? failing.afterMs : delayFor(id),
      );
    });
  };
  return { fetchUser, log };
}

/** Watches a promise so a test can ask, at any moment, whether it has settled. */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; rejected: boolean; value?: T; error?: unknown } = {
    settled: false,
    rejected: false,
  };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, rejected: true, error }),
  );
  return state;
}

/** 50 distinct ids in a random order (never 13: the failure test adds it). */
function idsFor(seed: number): number[] {
  return seeded(seed).distinct(51, 1, 999).filter((id) => id !== 13).slice(0, 50);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

test('finishes 50 fetches in about 100 ms', async () => {
  for (const seed of SEEDS) {
    const { fetchUser, log } = fakeApi();
    const result = watch(fetchAll(idsFor(seed), fetchUser));
    await vi.advanceTimersByTimeAsync(100);
    expect(
      result.settled && !result.rejected,
      `Every fetch takes at most 100 ms, so 50 fetches running at the same time ` +
        `are all done after 100 ms, and fetchAll should have resolved. It had not: ` +
        `${log.finished.length} of 50 fetches had finished (seed ${seed}). Awaiting ` +
        `them one by one takes about 5000 ms.`,
    ).toBe(true);
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
    ).toEqual(ids.map((id) => ({ id, name: `user-${id}` })));
  }
});

test('all 50 requests are in flight at once', async () => {
  for (const seed of SEEDS) {
    const ids = idsFor(seed);
    const { fetchUser, log } = fakeApi();
    const result = watch(fetchAll(ids, fetchUser));
    await vi.runAllTimersAsync();
    expect(result.settled, `fetchAll should have settled once every fetch finished (seed ${seed})`).toBe(true);
    expect(
      [...log.calls].sort((a, b) => a - b),
      `fetchAll should call fetchUser exactly once for each id (seed ${seed})`,
    ).toEqual([...ids].sort((a, b) => a - b));
    expect(
      log.maxInFlight,
      `All 50 requests should be waiting on the network at the same moment, but ` +
        `the most at any moment was ${log.maxInFlight} (seed ${seed}). Start every ` +
        `request before you await any of them.`,
    ).toBe(50);
  }
});

test('rejects as soon as one fetch fails', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ids = idsFor(seed).slice(0, 49);
    ids.splice(rng.int(10, ids.length), 0, 13); // never first: one-by-one code must fail too
    const error = new Error('user 13 not found');
    const { fetchUser } = fakeApi({ id: 13, afterMs: 40, error });
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
  }
});
