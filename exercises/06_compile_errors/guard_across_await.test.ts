import { setImmediate as realSetImmediate } from 'node:timers';
import { afterEach, expect, test, vi } from 'vitest';
import { banned, pristine, seeded, SEEDS, type Rng } from 'async-lessons/harness';
import { BorrowError, SyncCell } from '../_lib/cells';
import { AsyncMutex, addSlowly, countVisit, type MutexGuard } from './guard_across_await';

afterEach(() => {
  vi.useRealTimers();
});

/** Lets every promise job that is ready run (the tests release their gates in between). */
async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await pristine.Promise.resolve(undefined);
}

/** A pause the test ends by hand: each call waits until the test opens its gate. */
function gates() {
  const open: Array<() => void> = [];
  let calls = 0;
  let most = 0;
  const pause = () => {
    calls += 1;
    return new Promise<void>((resolve) => {
      open.push(resolve);
      most = Math.max(most, open.length);
    });
  };
  const openSome = (rng: Rng) => {
    const all = rng.shuffle(open.splice(0));
    for (const g of all) g();
    return all.length;
  };
  return { pause, openSome, calls: () => calls, most: () => most, waiting: () => open.length };
}

test('countVisit: concurrent visits all count, with no BorrowError', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(4, 12);
    const counter = new SyncCell(rng.int(0, 5));
    const start = counter.peek();
    const logged: number[] = [];
    const g = gates();
    const log = (count: number) => {
      logged.push(count);
      return g.pause();
    };
    const results = Array.from({ length: n }, () => countVisit(counter, log).then(() => 'ok', (e: unknown) => e));
    await settle();
    expect(
      counter.borrowed,
      'while the log calls are waiting, the counter is still borrowed: the guard is held across `await log(…)`; release it before you await',
    ).toBe(false);
    g.openSome(rng);
    const outcome = await pristine.Promise.all(results);
    const errors = outcome.filter((r) => r !== 'ok');
    expect(
      errors.map(String),
      `${errors.length} of ${n} concurrent countVisit calls failed: ${errors[0] instanceof BorrowError ? 'BorrowError (already borrowed): the first call still held its guard while it awaited the log' : String(errors[0])} (seed ${seed})`,
    ).toEqual([]);
    expect(counter.peek(), `${n} visits should add ${n} (seed ${seed})`).toBe(start + n);
    expect(
      [...logged].sort((a, b) => a - b),
      `each call should log the count it made itself (${start + 1} … ${start + n}), read before the await (seed ${seed})`,
    ).toEqual(Array.from({ length: n }, (_, i) => start + 1 + i));
    expect(counter.borrows, 'one borrow per visit').toBe(n);
  }
});

/** Runs `n` addSlowly calls, opening the gates whenever the holder waits; reports the most waiting in the critical section at once. */
async function runAdds(rng: Rng, n: number) {
  const mutex = new AsyncMutex(rng.int(0, 100));
  const start = mutex.value;
  const g = gates();
  const done = Array.from({ length: n }, () => addSlowly(mutex, g.pause).then(() => 'ok', (e: unknown) => e));
  for (let round = 0; round < n * 3 && g.calls() < n; round++) {
    await settle();
    g.openSome(rng);
  }
  await settle();
  g.openSome(rng);
  return { mutex, start, g, outcome: await pristine.Promise.all(done) };
}

test('addSlowly: concurrent adds give the full count, one holder at a time', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(3, 10);
    const { mutex, start, g, outcome } = await runAdds(rng, n);
    expect(outcome.filter((r) => r !== 'ok').map(String), `every addSlowly call should finish (seed ${seed})`).toEqual([]);
    expect(
      g.most(),
      `at most one caller may be inside the critical section at a time, but ${g.most()} were waiting in it at once: lock() gave out the lock while it was held (seed ${seed})`,
    ).toBe(1);
    expect(mutex.value, `${n} concurrent adds should add ${n}; fewer means two read the same value (seed ${seed})`).toBe(start + n);
    expect(mutex.locked, 'when everyone has released, the mutex is free again').toBe(false);
  }
});

/** Starts `n` lock() calls after a first holder; records the order in which they get the lock. */
async function queueUp(n: number) {
  const mutex = new AsyncMutex(0);
  const first = await mutex.lock();
  const order: number[] = [];
  const guards: Array<MutexGuard<number>> = [];
  for (let i = 0; i < n; i++) {
    void mutex.lock().then((guard) => {
      order.push(i);
      guards.push(guard);
    });
  }
  await settle();
  return { mutex, first, order, guards };
}

test('waiters get the lock in the order they asked, one per release', async () => {
  for (const seed of SEEDS.slice(0, 4)) {
    const n = seeded(seed).int(3, 7);
    const { first, order, guards } = await queueUp(n);
    expect(order, 'while the first holder keeps the lock, nobody else gets it').toEqual([]);
    first.release();
    await settle();
    expect(order, 'one release should hand the lock to exactly one waiter: the one that asked first').toEqual([0]);
    for (let k = 1; k < n; k++) {
      guards[k - 1]!.release();
      await settle();
      expect(order, `after ${k + 1} releases, exactly ${k + 1} waiters should have had the lock, in the order they asked (seed ${seed})`).toEqual(
        Array.from({ length: k + 1 }, (_, i) => i),
      );
    }
  }
});

test('a lock asked for after a release does not jump the queue', async () => {
  const { mutex, first, order } = await queueUp(2);
  first.release();
  let late = false;
  void mutex.lock().then(() => {
    late = true;
  });
  await settle();
  expect([order, late], 'the waiter that asked before the release gets the lock, not the caller that arrived just after it').toEqual([[0], false]);
});

test('lock() on a free mutex resolves at once', async () => {
  const mutex = new AsyncMutex('x');
  let got: MutexGuard<string> | undefined;
  void mutex.lock().then((g) => {
    got = g;
  });
  await settle();
  expect(got?.value, 'a free mutex should give its guard without waiting for anything').toBe('x');
  got!.value = 'y';
  expect(mutex.value, 'writing through the guard changes the value').toBe('y');
  got!.release();
  expect(mutex.locked, 'released with nobody waiting: free').toBe(false);
});

test('releasing a guard twice throws', async () => {
  const { first, order } = await queueUp(2);
  first.release();
  expect(() => first.release(), 'a second release() of the same guard should throw: it would hand out the lock a second time').toThrow();
  await settle();
  expect(order, 'and the failed second release must not have let another waiter in').toEqual([0]);
});

test('waiting uses no timers and no polling loop', async () => {
  vi.useFakeTimers();
  const { mutex, first, order } = await queueUp(3);
  expect(
    vi.getTimerCount(),
    'waiters should wait on a promise that release() resolves, not on timers that check again and again',
  ).toBe(0);
  // A real macrotask turn: a loop that awaits in a circle (`while (locked) await null`) never lets it come.
  await new Promise<void>((resolve) => realSetImmediate(resolve));
  first.release();
  await settle();
  expect(order, 'release() alone (no time passing) should let the first waiter in').toEqual([0]);
  expect(mutex.locked, 'the lock was handed over, so it is still held').toBe(true);
});

test('no timers in the exercise', () => {
  const findings = banned(
    new URL('./guard_across_await.ts', import.meta.url),
    ['setTimeout', 'setInterval', 'setImmediate', 'import:node:timers', 'any', 'ts-directives'],
    'a lock that checks the clock is a polling loop; let release() wake the next waiter',
  );
  expect(findings, findings.join('\n')).toEqual([]);
});
