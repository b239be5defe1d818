import { expect, test } from 'vitest';
import { banned, counted, pollWith, seeded, sleep, spyWaker, SEEDS, TestExecutor, VirtualReactor, type Counted, pristine } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { Err, fromGenerator, Ok, type Result } from './generator_driver';

type Yielded = Future<Result<unknown>>;

/** A fallible future: Ok(value) `ms` virtual ms after it is created. `drop()` cancels its timer. */
function after<T>(reactor: VirtualReactor, ms: number, value: T): Future<Result<T>> {
  const timer = sleep(reactor, ms);
  return {
    poll(cx: Context): Poll<Result<T>> {
      const p = timer.poll(cx);
      return p.ready ? Ready(Ok(value)) : Pending;
    },
    drop() {
      timer.drop();
    },
  };
}

/** A fallible future: Err(error) `ms` virtual ms after it is created. */
function failAfter(reactor: VirtualReactor, ms: number, error: unknown): Future<Result<never>> {
  const timer = sleep(reactor, ms);
  return {
    poll(cx: Context): Poll<Result<never>> {
      return timer.poll(cx).ready ? Ready(Err(error)) : Pending;
    },
    drop() {
      timer.drop();
    },
  };
}

/** A fallible future that is Ok(value) on its first poll. */
function now<T>(value: T): Future<Result<T>> {
  let done = false;
  return {
    poll() {
      if (done) throw new Error('an immediately-ready future was polled again after it returned Ready');
      done = true;
      return Ready(Ok(value));
    },
  };
}

function num(v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`the generator was resumed with ${String(v)} where a number was expected`);
  return v;
}

test('passes values through the yields', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const x = rng.int(1, 500);
    const y = rng.int(1, 500);
    const reactor = new VirtualReactor();
    const exec = new TestExecutor({ reactor });
    const handle = exec.spawn(
      'gen',
      fromGenerator(function* (): Generator<Yielded, number, unknown> {
        const a = num(yield after(reactor, 10, x));
        const b = num(yield after(reactor, 20, a + y));
        return a + b;
      }),
    );
    exec.run({ maxPolls: 50 });
    expect(handle.done, `the future should finish once both sleeps are over (seed ${seed}). ${exec.explainStalled()}`).toBe(true);
    expect(
      handle.result,
      'gen.next(v) must resume the generator with v as the value of its `yield`: ' +
        `a = ${x}, b = a + ${y}, so the output is Ok(${x + x + y}) (seed ${seed})`,
    ).toEqual(Ok(x + x + y));
    expect(handle.finishedAt, 'the second sleep starts when the first ends, so it should finish at t=30').toBe(30);
  }
});

test('throws an Err into the generator', () => {
  for (const seed of SEEDS) {
    const reactor = new VirtualReactor();
    const error = new Error(`lookup failed (seed ${seed})`);
    let caught: unknown;
    const fut = fromGenerator(function* (): Generator<Yielded, string, unknown> {
      try {
        yield failAfter(reactor, 10, error);
        return 'not caught';
      } catch (e) {
        caught = e;
      }
      yield after(reactor, 5, 0);
      return 'recovered';
    });
    const out = new TestExecutor({ reactor }).blockOn(fut, { maxPolls: 50 });
    expect(
      caught,
      'an Err(e) from the awaited future should be thrown into the generator with gen.throw(e), ' +
        'so the generator\'s own try/catch around the `yield` receives e itself',
    ).toBe(error);
    expect(out, 'after catching the error the generator carries on and returns "recovered"').toEqual(Ok('recovered'));
  }
});

test('an uncaught Err becomes the output', () => {
  const reactor = new VirtualReactor();
  const error = new Error('disk on fire');
  let reached = false;
  const out = new TestExecutor({ reactor }).blockOn(
    fromGenerator(function* (): Generator<Yielded, number, unknown> {
      yield after(reactor, 5, 1);
      yield failAfter(reactor, 10, error);
      reached = true;
      return 1;
    }),
    { maxPolls: 50 },
  );
  expect(reached, 'the code after a `yield` whose future failed must not run').toBe(false);
  expect(
    out,
    'when the generator does not catch the error, the driver should finish with Ready(Err(error)) ' +
      '(catch what gen.throw throws), not throw from poll',
  ).toEqual(Err(error));

  const own = new Error('thrown by the body');
  const out2 = new TestExecutor({ reactor }).blockOn(
    fromGenerator(function* (): Generator<Yielded, number, unknown> {
      const a = num(yield now(2));
      if (a === 2) throw own;
      return a;
    }),
    { maxPolls: 50 },
  );
  expect(out2, 'an error the generator throws by itself should also become Ready(Err(error))').toEqual(Err(own));
});

test('does not start the generator before the first poll', () => {
  const reactor = new VirtualReactor();
  let calls = 0;
  let started = 0;
  function* body(): Generator<Yielded, number, unknown> {
    started += 1;
    yield after(reactor, 100, 1);
    return 1;
  }
  const fut = fromGenerator(() => {
    calls += 1;
    return body();
  });
  expect(
    calls,
    'fromGenerator(genFn) must not call genFn yet: a future does nothing until it is polled. ' +
      'Call genFn() on the first poll',
  ).toBe(0);
  const spy = spyWaker('gen');
  const p = pollWith(fut, spy);
  expect(p.ready, 'the first poll should be Pending: the generator waits on a 100 ms sleep').toBe(false);
  expect(calls, 'the first poll should call genFn() exactly once').toBe(1);
  expect(started, 'the first poll should run the generator up to its first `yield`').toBe(1);
  for (let i = 0; i < 3; i++) pollWith(fut, spy);
  expect(calls, 'later polls must resume the same generator, not call genFn() again').toBe(1);
  expect(reactor.pendingTimers, 'polling the same sleep again must not add timers').toBe(1);
  fut.drop?.();
});

test('drop runs the generator\'s finally once', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    let finallyRuns = 0;
    let afterYield = 0;
    const fut = fromGenerator(function* (): Generator<Yielded, number, unknown> {
      try {
        const v = yield after(reactor, rng.int(50, 150), 1);
        afterYield += 1;
        return num(v);
      } finally {
        finallyRuns += 1;
      }
    });
    const spy = spyWaker('gen');
    expect(pollWith(fut, spy).ready, 'the first poll should be Pending (the generator waits on a sleep)').toBe(false);
    expect(fut.drop, 'the future returned by fromGenerator needs a drop() method').toBeTypeOf('function');
    fut.drop?.();
    expect(
      finallyRuns,
      'dropping the future while the generator is paused should call gen.return(), which runs its ' +
        '`finally` blocks (in Rust, dropping a future runs the destructors of everything it holds)',
    ).toBe(1);
    expect(afterYield, 'dropping must not resume the generator as if the sleep had finished').toBe(0);
    expect(reactor.pendingTimers, 'drop should also drop the future being waited on, which cancels its timer').toBe(0);
    fut.drop?.();
    expect(finallyRuns, 'drop() may be called again; the finally block must still have run only once').toBe(1);
  }
});

test('every Err is thrown in, whatever the error', () => {
  const reactor = new VirtualReactor();
  for (const error of [undefined, null, 0, '', false]) {
    let caught: unknown = 'nothing was caught';
    let resumedWith: unknown = 'not resumed';
    const out = new TestExecutor({ reactor }).blockOn(
      fromGenerator(function* (): Generator<Yielded, string, unknown> {
        try {
          resumedWith = yield failAfter(reactor, 5, error);
          return 'no error';
        } catch (e) {
          caught = e;
          return 'caught';
        }
      }),
      { maxPolls: 50 },
    );
    expect(
      out,
      `the awaited future finished with Err(${JSON.stringify(error) ?? 'undefined'}); an Err is an error whatever it ` +
        'carries (a promise rejected with no reason gives Err(undefined)), so it should be thrown into the generator. ' +
        `Decide by the result's ok flag, not by whether the error looks like something. (The generator was resumed with ${String(resumedWith)}.)`,
    ).toEqual(Ok('caught'));
    expect(pristine.Object.is(caught, error), `the generator's catch should receive the error itself, ${String(error)}`).toBe(true);
  }
  for (const value of [undefined, null, 0, '', false]) {
    const out = new TestExecutor({ reactor }).blockOn(
      fromGenerator(function* (): Generator<Yielded, unknown, unknown> {
        const got = yield after(reactor, 5, value);
        return got;
      }),
      { maxPolls: 50 },
    );
    expect(out, `Ok(${String(value)}) should resume the generator with ${String(value)}, and it returns that`).toEqual(Ok(value));
  }
});

test('drop runs finally but no catch', () => {
  for (const seed of SEEDS) {
    const reactor = new VirtualReactor();
    const log: string[] = [];
    const fut = fromGenerator(function* (): Generator<Yielded, string, unknown> {
      try {
        yield after(reactor, seeded(seed).int(20, 200), 1);
        log.push('resumed');
        return 'done';
      } catch (e) {
        log.push('catch');
        yield after(reactor, 1, 2);
        return 'recovered';
      } finally {
        log.push('finally');
      }
    });
    pollWith(fut, spyWaker('gen'));
    fut.drop?.();
    expect(
      log,
      'dropping the future should unwind the generator with gen.return(): its finally blocks run and nothing else. ' +
        'Throwing an error into it (gen.throw) would run its catch blocks too, and the generator could carry on as if ' +
        'a lookup had failed; a dropped Rust future runs only its destructors, never error handling ' +
        `(seed ${seed})`,
    ).toEqual(['finally']);
    expect(reactor.pendingTimers, 'nothing the generator might start while unwinding should be left with the reactor').toBe(0);
  }
});

test('polls the awaited future with the latest waker', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const [d1, d2] = [rng.int(10, 100), rng.int(10, 100)];
    const fut = fromGenerator(function* (): Generator<Yielded, number, unknown> {
      const a = num(yield after(reactor, d1, 1));
      const b = num(yield after(reactor, d2, 2));
      return a + b;
    });
    const first = spyWaker('first task');
    const second = spyWaker('second task');
    pollWith(fut, first);
    pollWith(fut, second); // the driver now belongs to another task
    reactor.advance(d1);
    expect(
      [first.wakes, second.wakes],
      'the driver was last polled by another task, so the sleep it waits on should wake that task, not the first: ' +
        `poll each awaited future with the cx of the current poll, never one kept from an earlier poll (seed ${seed})`,
    ).toEqual([0, 1]);
    pollWith(fut, second);
    reactor.advance(d2);
    expect(pollWith(fut, second), 'then the driver should finish with Ok(3)').toEqual(Ready(Ok(3)));
  }
});

test('drives any number of steps in one poll', () => {
  const sizes = SEEDS.slice(0, 2).flatMap((seed) => {
    const rng = seeded(seed);
    return [0, 1, rng.int(2, 9), rng.int(5_000, 6_000), rng.int(50_000, 60_000)].map((n) => ({ seed, n }));
  });
  for (const { seed, n } of sizes) {
    const spy = spyWaker('gen');
    const fut = fromGenerator(function* (): Generator<Yielded, number, unknown> {
      let total = 0;
      for (let i = 0; i < n; i++) total += num(yield now(1));
      return total;
    });
    let p: Poll<Result<number>> | undefined;
    let thrown: unknown;
    try {
      p = pollWith(fut, spy);
    } catch (error) {
      thrown = error;
    }
    expect(
      thrown instanceof RangeError ? `RangeError: ${thrown.message}` : thrown,
      `a generator that yields ${n} futures, all ready at once, should finish in one poll (seed ${seed}). ` +
        'Drive the steps in a loop: a driver where each step calls the next one recurses once per yield and ' +
        'runs out of stack, as a deep chain of nested polls would.',
    ).toBeUndefined();
    expect(p, `the one poll should give Ready(Ok(${n}))`).toEqual(Ready(Ok(n)));
    expect(spy.wokeDuringPoll, 'the driver must not wake itself to take the next step').toBe(0);
  }
  const empty = pollWith(
    fromGenerator(function* (): Generator<Yielded, string, unknown> {
      return 'nothing to wait for';
    }),
    spyWaker('gen'),
  );
  expect(empty, 'a generator that yields nothing should be Ready(Ok(its return value)) on the first poll').toEqual(Ready(Ok('nothing to wait for')));
});

test('polls equal wakes + 1', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const children: Counted<Result<unknown>>[] = [];
    const watch = <T>(f: Future<Result<T>>, name: string): Yielded => {
      const c = counted<Result<unknown>>(f, { name, maxPolls: 20 });
      children.push(c);
      return c;
    };
    const durations = [rng.int(5, 40), rng.int(5, 40), rng.int(5, 40)];
    const fut = counted(
      fromGenerator(function* (): Generator<Yielded, number, unknown> {
        let total = 0;
        total += num(yield watch(after(reactor, durations[0] ?? 1, 1), 'sleep 1'));
        total += num(yield watch(now(10), 'ready now'));
        total += num(yield watch(after(reactor, durations[1] ?? 1, 100), 'sleep 2'));
        total += num(yield watch(after(reactor, durations[2] ?? 1, 1000), 'sleep 3'));
        return total;
      }),
      { name: 'fromGenerator', maxPolls: 20 },
    );
    const exec = new TestExecutor({ reactor });
    const handle = exec.spawn('gen', fut);
    exec.run({ maxPolls: 20 });
    expect(handle.result, `the generator adds up its four values (seed ${seed})`).toEqual(Ok(1111));
    expect(
      fut.polls,
      `the driver should be polled once, then once per wake (${fut.wakes} wakes). Do not wake yourself ` +
        'after resuming the generator: poll the next future in the same poll instead',
    ).toBe(fut.wakes + 1);
    expect(fut.wokeDuringPoll, 'the driver must never wake itself during a poll').toBe(0);
    expect(handle.polls, 'three sleeps mean three wakes, so the task is polled exactly 4 times').toBe(4);
    for (const c of children) {
      expect(c.polls, 'each yielded future should be polled once, then once per wake').toBe(c.wakes + 1);
      expect(c.pollsAfterReady, 'a yielded future that returned Ready must not be polled again').toBe(0);
    }
  }
});

test('drives the generator by hand', () => {
  const f = banned(
    new URL('./generator_driver.ts', import.meta.url),
    ['async', 'await', 'Promise'],
    'the driver works by polling futures and resuming the generator, without Promise machinery',
  );
  expect(f, f.join('\n')).toEqual([]);
});
