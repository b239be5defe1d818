import { expect, test, vi } from 'vitest';
import { counted, pollWith, seeded, SEEDS, sleep, spyWaker, TestExecutor, VirtualReactor, pristine } from 'async-lessons/harness';
import * as lib from '../_lib/future';
import { lazy, lazyPromise } from './lazy_futures';

/** A future that is Pending `waits` times, then Ready(value); counts its polls and drops. */
function steps<T>(waits: number, value: T) {
  const stats = { polls: 0, drops: 0 };
  const fut: lib.Future<T> = {
    poll(cx) {
      stats.polls += 1;
      if (stats.polls > waits) return lib.Ready(value);
      cx.waker.wake(); // a test double: asks to be polled again
      return lib.Pending;
    },
    drop() {
      stats.drops += 1;
    },
  };
  return { fut, stats };
}

/** Lets every queued promise job and one round of macrotasks run (real timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

test('thunk runs on the first poll only', () => {
  for (const seed of SEEDS) {
    const value = seeded(seed).int(1, 1000);
    const inner = steps(2, value);
    const thunk = vi.fn(() => inner.fut);
    const fut = lazy(thunk);
    expect(
      thunk.mock.calls.length,
      'lazy(thunk) should not call thunk when it is created: a future does nothing until it is polled',
    ).toBe(0);
    const spy = spyWaker();
    const first = pollWith(fut, spy);
    expect(thunk.mock.calls.length, 'the first poll should call thunk() exactly once').toBe(1);
    expect(first.ready, 'the first poll should pass on what the inner future answered (Pending here)').toBe(false);
    pollWith(fut, spy);
    const third = pollWith(fut, spy);
    expect(
      thunk.mock.calls.length,
      'later polls should reuse the future thunk made, not call thunk again (which would start the work over)',
    ).toBe(1);
    expect(inner.stats.polls, 'each of the 3 polls should reach the inner future').toBe(3);
    expect(third, `the third poll should pass on the inner future's Ready(${value}) (seed ${seed})`).toEqual({ ready: true, value });
  }
});

test('a lazy sleep starts at its first poll', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const idle = rng.int(10, 90);
    const ms = rng.int(100, 300);
    const reactor = new VirtualReactor();
    const fut = counted(lazy(() => sleep(reactor, ms)), { name: 'lazy sleep', maxPolls: 10 });
    reactor.advance(idle);
    const ex = new TestExecutor({ reactor });
    const handle = ex.spawn('lazy', fut);
    try {
      ex.run({ maxTurns: 20 });
    } catch (error) {
      expect.fail(`running lazy(() => sleep(reactor, ${ms})) threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    expect(handle.done, `lazy(() => sleep(reactor, ${ms})) should finish (seed ${seed})`).toBe(true);
    expect(
      handle.finishedAt,
      `created at t=0 and first polled at t=${idle}, lazy(() => sleep(reactor, ${ms})) should ` +
        `finish at t=${idle + ms}: the sleep, and so its deadline, should only be made at the ` +
        `first poll. ${handle.finishedAt === ms ? `It finished at t=${ms}, so the sleep was made at t=0, when lazy() was called. ` : ''}` +
        `(seed ${seed})`,
    ).toBe(idle + ms);
    expect(fut.polls, 'it should be polled twice: once to start the sleep, once after the timer woke it').toBe(2);
  }
});

test('drop cancels what was started', () => {
  for (const seed of SEEDS) {
    const ms = seeded(seed).int(50, 500);
    const reactor = new VirtualReactor();
    const thunk = vi.fn(() => sleep(reactor, ms));
    const never = lazy(thunk);
    never.drop?.();
    expect(thunk.mock.calls.length, 'dropping a lazy future that was never polled should not call thunk: nothing was started').toBe(0);

    const started = lazy(() => sleep(reactor, ms));
    const p = pollWith(started, spyWaker());
    expect(p.ready, `the sleep of ${ms} ms should be Pending at its first poll (seed ${seed})`).toBe(false);
    expect(reactor.pendingTimers, 'the first poll should have started the sleep, which registers a timer').toBe(1);
    expect(started.drop, 'lazy(...) should have a drop() method that cancels the future it started').toBeTypeOf('function');
    started.drop?.();
    expect(
      reactor.pendingTimers,
      'drop() on a started lazy future should drop the inner future, which cancels its timer',
    ).toBe(0);
    started.drop?.();
  }
});

test('lazyPromise waits for then', async () => {
  for (const seed of SEEDS) {
    const value = seeded(seed).int(1, 1000);
    const fn = vi.fn(async () => value);
    const lp = lazyPromise(fn);
    expect(fn.mock.calls.length, 'lazyPromise(fn) should not call fn when it is created').toBe(0);
    await settle();
    expect(
      fn.mock.calls.length,
      'lazyPromise(fn) should still not have called fn after the promise jobs and a macrotask ran: ' +
        'nobody asked for the result yet. (Deferring the call to a microtask or a timer is still eager.)',
    ).toBe(0);
    expect(await lp, `await lazyPromise(fn) should give fn's result, ${value} (seed ${seed})`).toBe(value);
    expect(fn.mock.calls.length, 'awaiting it should have called fn once').toBe(1);
  }
});

test('lazyPromise runs fn once', async () => {
  for (const seed of SEEDS) {
    const id = seeded(seed).int(1, 1000);
    const fn = vi.fn(async () => ({ id }));
    const lp = lazyPromise(fn);
    const a = await lp;
    const b = await lp;
    expect(fn.mock.calls.length, 'two awaits of the same lazyPromise should run fn only once').toBe(1);
    expect(b, 'both awaits should get the very same result object').toBe(a);
    const [c, d] = await Promise.all([lp, lp]);
    expect(c === a && d === a, 'later awaits, together or not, should share the first result too').toBe(true);
    expect(fn.mock.calls.length, 'fn should still have run only once').toBe(1);
    const doubled = await lp.then((r) => r.id * 2);
    expect(doubled, 'lp.then(f) should give a promise of f(result), as then always does').toBe(id * 2);
  }
});

test('lazyPromise passes rejections on', async () => {
  for (const seed of SEEDS) {
    const error = new Error(`failure ${seeded(seed).int(1, 1000)}`);
    const fn = vi.fn(async (): Promise<number> => {
      throw error;
    });
    const lp = lazyPromise(fn);
    expect(fn.mock.calls.length, 'lazyPromise(fn) should not call fn when it is created').toBe(0);
    for (const attempt of ['first', 'second']) {
      let caught: unknown;
      try {
        await lp;
      } catch (e) {
        caught = e;
      }
      expect(caught, `the ${attempt} await should reject with the error fn rejected with`).toBe(error);
    }
    expect(fn.mock.calls.length, 'a failed run is shared as well: fn should run once').toBe(1);
  }
});

test('awaits made before fn settles share one run', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const waiters = rng.int(2, 6);
    const value = rng.int(1, 1000);
    let release: (v: number) => void = () => {};
    const fn = vi.fn(
      () =>
        new Promise<number>((resolve) => {
          release = resolve;
        }),
    );
    const lp = lazyPromise(fn);
    const got: number[] = [];
    const all = Promise.all(Array.from({ length: waiters }, async () => got.push(await lp)));
    await settle();
    expect(
      fn.mock.calls.length,
      `${waiters} awaits of the same lazyPromise started while fn was still running; they should share that one run ` +
        `(seed ${seed}). Keep the promise fn returned, not only its result once it arrives: until then a second ` +
        'await would start the work again.',
    ).toBe(1);
    release(value);
    await all;
    expect(got, `every await should get fn's one result, ${value}`).toEqual(Array.from({ length: waiters }, () => value));
  }
});

test('fn runs once whatever it resolves to', async () => {
  for (const value of [undefined, null, 0, '', false, Number.NaN]) {
    const fn = vi.fn(async () => value);
    const lp = lazyPromise(fn);
    for (let i = 0; i < 3; i++) {
      const got = await lp;
      expect(pristine.Object.is(got, value), `await lazyPromise(fn) should give fn's result, ${String(value)}`).toBe(true);
    }
    expect(
      fn.mock.calls.length,
      `fn resolved to ${JSON.stringify(value) ?? 'undefined'}; three awaits should still run it only once. ` +
        'Remember that fn was started (keep its promise) instead of testing the result for a value.',
    ).toBe(1);
  }
});
