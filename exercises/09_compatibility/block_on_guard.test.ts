import { expect, test } from 'vitest';
import { SEEDS, SpinDetected, VirtualReactor, banned, counted, seeded, sleep, spyWaker } from 'async-lessons/harness';
import { Pending, Ready, pending, type Context, type Future, type Poll, type Waker } from '../_lib/future';
import { Deadlock as LibDeadlock } from '../_lib/runtime';
import { NestedRuntimeError, WouldDeadlock, blockOnSync, type Reactor } from './block_on_guard';

/** Turns a spin (caught by a counted() cap) into words about what blockOnSync should do instead. */
function drive<T>(fut: Future<T>, reactor: Reactor, name = 'future'): T {
  const capped = counted(fut, { name, maxPolls: 200 });
  let turns = 0;
  const guarded: Reactor = {
    turn() {
      turns += 1;
      if (turns > 500) throw new Error('blockOnSync turned the reactor 500 times after it had nothing left to wake: when turn() returns false, throw WouldDeadlock');
      return reactor.turn();
    },
  };
  try {
    return blockOnSync(capped, guarded);
  } catch (error) {
    if (error instanceof SpinDetected) {
      throw new Error(
        `blockOnSync kept polling ${name} though nobody had woken it. Poll once, then poll again only after the ` +
          `waker you put in the Context was woken; in between, call reactor.turn().\n${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Ready with `value` once `ms` virtual ms have passed. */
function after<T>(reactor: VirtualReactor, ms: number, value: T): Future<T> {
  const s = sleep(reactor, ms);
  return { poll: (cx) => (s.poll(cx).ready ? Ready(value) : Pending), drop: () => s.drop() };
}

/** Pending `times` times, waking itself each time (Rust: `tokio::task::yield_now()`), then Ready. */
function yields<T>(times: number, value: T): Future<T> {
  let left = times;
  return {
    poll(cx) {
      if (left === 0) return Ready(value);
      left -= 1;
      cx.waker.wake();
      return Pending;
    },
  };
}

/** The course's bridge from a Promise: Pending until the Promise's callback wakes the waker. */
function fromPromise<T>(promise: Promise<T>): Future<T> {
  let settled: { value: T } | undefined;
  let waker: Waker | undefined;
  void promise.then((value) => {
    settled = { value };
    waker?.wake();
  });
  return {
    poll(cx) {
      if (settled !== undefined) return Ready(settled.value);
      waker = cx.waker.clone();
      return Pending;
    },
  };
}

function isThenable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof Reflect.get(value, 'then') === 'function';
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

test('returns a plain value, not a Promise', () => {
  for (const seed of SEEDS) {
    const value = { seed, n: seeded(seed).int(1, 1000) };
    const reactor = new VirtualReactor();
    const got: unknown = drive(yields(0, value), reactor);
    expect(isThenable(got), 'blockOnSync hands back the value itself, synchronously: no Promise, no thenable').toBe(false);
    expect(got, 'blockOnSync returns exactly what the future was Ready with').toBe(value);
    expect(reactor.turns, 'a future that is Ready on its first poll needs no reactor turn').toBe(0);
  }
});

test('sleeps on the reactor until a timer wakes the future', () => {
  for (const seed of SEEDS) {
    const [a = 0, b = 0] = seeded(seed).distinct(2, 10, 400);
    const reactor = new VirtualReactor();
    const first = after(reactor, a, 'a');
    const second = after(reactor, b, 'b');
    let ra: string | undefined;
    let rb: string | undefined;
    const both = counted(
      {
        poll(cx: Context): Poll<string> {
          if (ra === undefined) { const p = first.poll(cx); if (p.ready) ra = p.value; }
          if (rb === undefined) { const p = second.poll(cx); if (p.ready) rb = p.value; }
          return ra !== undefined && rb !== undefined ? Ready(ra + rb) : Pending;
        },
      },
      { name: 'join(sleep, sleep)', maxPolls: 50 },
    );
    expect(drive(both, reactor, 'join(sleep, sleep)'), `the joined value (seed ${seed})`).toBe('ab');
    expect(both.polls, `two timers (${a} and ${b} ms): one poll to start, one per timer that fired`).toBe(3);
    expect(both.unwokenPolls, 'every poll after the first follows a wake').toBe(0);
    expect(reactor.now, 'blockOnSync returns when the later timer has fired').toBe(Math.max(a, b));
  }
});

test('polls again after the future woke itself, without waiting on the reactor', () => {
  for (const seed of SEEDS) {
    const times = seeded(seed).int(1, 9);
    const reactor = new VirtualReactor();
    const fut = counted(yields(times, seed), { name: 'yield_now loop', maxPolls: 100 });
    let got: unknown;
    try {
      got = drive(fut, reactor, 'yield_now loop');
    } catch (error) {
      if (error instanceof WouldDeadlock) {
        throw new Error(
          'blockOnSync threw WouldDeadlock for a future that had just woken itself during its poll: the wake was lost. ' +
            'Clear the woken flag before the poll, not after it.',
          { cause: error },
        );
      }
      throw error;
    }
    expect(got).toBe(seed);
    expect(fut.polls, `a future that yields ${times} times is polled ${times + 1} times`).toBe(times + 1);
    expect(reactor.turns, 'a wake during the poll means "poll me again": no need to turn the reactor').toBe(0);
  }
});

test('the waker says which blockOnSync it wakes', () => {
  const reactor = new VirtualReactor();
  const other = spyWaker('another task');
  const seen: boolean[] = [];
  let first: Waker | undefined;
  // Straight to blockOnSync: counted() would put its own waker in between. The future ends after 2 polls.
  blockOnSync(
    {
      poll(cx) {
        first ??= cx.waker.clone();
        seen.push(cx.waker.willWakeSame(first), first.willWakeSame(cx.waker.clone()), cx.waker.willWakeSame(other.waker));
        if (seen.length === 6) return Ready(0);
        cx.waker.clone().wake();
        return Pending;
      },
    },
    reactor,
  );
  expect(seen, "willWakeSame: true for this blockOnSync's own waker and its clones, false for another task's").toEqual([
    true, true, false, true, true, false,
  ]);
  expect(other.wakes, "blockOnSync never wakes another task's waker").toBe(0);
});

test('the errors say what happened and what to do', () => {
  const nested = new NestedRuntimeError();
  expect(nested.name).toBe('NestedRuntimeError');
  for (const part of [/^Cannot block_on from within a runtime/, /inside a poll/, /Blocking here would stop that future/, /let your waker be woken/]) {
    expect(nested.message, 'NestedRuntimeError keeps the message it came with: it tells the learner who meets it what to do').toMatch(part);
  }
  const deadlock = new WouldDeadlock();
  expect(deadlock.name).toBe('WouldDeadlock');
  for (const part of [/Pending, nothing woke it/, /backed by a Promise/, /await such a future instead of blocking/]) {
    expect(deadlock.message, 'WouldDeadlock keeps the message it came with: it tells the learner who meets it what to do').toMatch(part);
  }
});

test('refuses to block_on from within a runtime', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const atPoll = rng.int(1, 3);
    const reactor = new VirtualReactor();
    const tick = sleep(reactor, 0);
    const errors: unknown[] = [];
    let polls = 0;
    const waits = [rng.int(5, 50), rng.int(5, 50), rng.int(5, 50)];
    let timer: Future<void> | undefined;
    const outer: Future<string> = {
      poll(cx) {
        polls += 1;
        if (polls === atPoll) {
          // The mistake: sync code deep inside async code reaches for block_on, twice.
          // (Capped, so a version without the guard fails here instead of spinning.)
          const inner = counted(after(reactor, 1, 'x'), { name: 'the inner future', maxPolls: 20 });
          errors.push(thrownBy(() => blockOnSync(tick, reactor)), thrownBy(() => blockOnSync(inner, reactor)));
        }
        if (polls > 3) return Ready(`done after ${polls} polls`);
        timer ??= sleep(reactor, waits[polls - 1] ?? 1);
        if (!timer.poll(cx).ready) return Pending;
        timer = undefined;
        cx.waker.wake();
        return Pending;
      },
    };
    const got = drive(outer, reactor, 'the outer future');
    for (const [i, error] of errors.entries()) {
      expect(error, `call ${i + 1} of blockOnSync inside poll ${atPoll} of another blockOnSync's future must throw (seed ${seed})`).toBeInstanceOf(
        NestedRuntimeError,
      );
      expect(String(error), 'the error says what went wrong, as tokio does').toMatch(/Cannot block_on from within a runtime/);
    }
    expect(errors, `both nested calls inside poll ${atPoll} were refused`).toHaveLength(2);
    expect(got, 'the outer future, which caught the errors, still runs to the end').toBe('done after 4 polls');
  }
});

test('after returning or throwing, blockOnSync can be called again', () => {
  for (const seed of SEEDS) {
    const reactor = new VirtualReactor();
    expect(drive(after(reactor, seeded(seed).int(1, 50), 1), reactor), 'a first top-level blockOnSync').toBe(1);
    expect(drive(yields(2, 2), reactor), 'a second top-level blockOnSync, after the first returned, is not nested').toBe(2);
    const boom = new Error(`poll failed (seed ${seed})`);
    let polls = 0;
    const failing: Future<number> = {
      poll(cx) {
        polls += 1;
        if (polls === 2) throw boom;
        cx.waker.wake();
        return Pending;
      },
    };
    expect(thrownBy(() => drive(failing, reactor)), 'an error thrown by poll comes out of blockOnSync unchanged').toBe(boom);
    const next = thrownBy(() => drive(yields(1, 3), reactor));
    expect(
      next,
      'after a poll threw, the next top-level blockOnSync must work: clear the "currently polling" flag even when poll throws (try/finally)',
    ).toBeUndefined();
  }
});

test("an earlier blockOnSync's waker does not wake the next one", () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const staleAt = rng.int(5, 40);
    const dueAt = staleAt + rng.int(10, 60);
    // A sloppy first future: it leaves a timer holding its waker behind when it finishes.
    expect(
      blockOnSync({ poll: (cx) => (reactor.registerTimer(staleAt, cx.waker.clone()), Ready('first')) }, reactor),
    ).toBe('first');
    let polls = 0;
    const second = after(reactor, dueAt, 'second');
    const got = blockOnSync({ poll: (cx) => ((polls += 1), second.poll(cx)) }, reactor);
    expect(got).toBe('second');
    expect(
      polls,
      `the first blockOnSync's timer (at ${staleAt} ms) fired while the second one waited for ${dueAt} ms. That wakes ` +
        "the first call's waker, not the second's: the second polls once to start and once after its own timer. Keep " +
        `the "woken" flag inside each blockOnSync call, not shared at module level (seed ${seed})`,
    ).toBe(2);
  }
});

test('a Promise-backed future throws WouldDeadlock instead of hanging', async () => {
  for (const seed of SEEDS) {
    const reactor = new VirtualReactor();
    const fut = fromPromise(Promise.resolve(seed));
    const error = thrownBy(() => drive(fut, reactor, 'fromPromise(Promise.resolve(…))'));
    expect(
      error,
      'the Promise callback that would wake this future can only run after blockOnSync returns, and the reactor has nothing: throw WouldDeadlock',
    ).toBeInstanceOf(WouldDeadlock);
    expect(String(error), 'WouldDeadlock explains that a Promise-backed future cannot be blocked on').toMatch(/Promise/);
    await null;
    expect(drive(fut, reactor), 'once the thread was given back, the Promise settled: the same future is Ready').toBe(seed);
  }
});

test('waits out every timer before giving up', () => {
  for (const seed of SEEDS) {
    const reactor = new VirtualReactor();
    const elsewhere = seeded(seed).distinct(3, 10, 300);
    for (const ms of elsewhere) sleep(reactor, ms).poll({ waker: spyWaker('somebody else').waker });
    const fut = counted(pending<number>(), { name: 'pending()', maxPolls: 20 });
    const error = thrownBy(() => drive(fut, reactor, 'pending()'));
    expect(error, 'a future that nothing will ever wake: WouldDeadlock once the reactor has nothing left').toBeInstanceOf(WouldDeadlock);
    expect(reactor.now, "blockOnSync turned the reactor until its last timer (somebody else's) had fired").toBe(Math.max(...elsewhere));
    expect(fut.polls, 'no wake reached pending(), so it was polled once').toBe(1);
  }
});

test('builds the loop by hand', () => {
  const found = banned(
    new URL('./block_on_guard.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'Atomics', 'import:async-lessons', 'import:../_lib/runtime'],
    'blockOnSync is built here from poll, a waker and reactor.turn(), without the reference runtime or JavaScript timers and promises',
  );
  expect(found, found.join('\n')).toEqual([]);
  const error = thrownBy(() => drive(pending(), new VirtualReactor()));
  expect(error instanceof LibDeadlock, "blockOnSync threw the course library's Deadlock: write your own loop").toBe(false);
});
