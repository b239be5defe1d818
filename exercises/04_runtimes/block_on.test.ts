import { expect, test } from 'vitest';
import { SEEDS, SpinDetected, VirtualReactor, banned, counted, seeded, sleep, spyWaker } from 'async-lessons/harness';
import { Pending, Ready, pending, type Context, type Future, type Poll, type Waker } from '../_lib/future';
import { Deadlock as LibDeadlock } from '../_lib/runtime';
import { Deadlock, blockOn, type Reactor } from './block_on';

/** `ms` virtual ms after creation, Ready with `value` (the trusted sleep underneath). */
function after<T>(reactor: VirtualReactor, ms: number, value: T): Future<T> {
  const s = sleep(reactor, ms);
  return {
    poll(cx: Context): Poll<T> {
      return s.poll(cx).ready ? Ready(value) : Pending;
    },
    drop: () => s.drop(),
  };
}

/** A plain join of two futures: polls whichever is not finished yet. */
function join<A, B>(a: Future<A>, b: Future<B>): Future<[A, B]> {
  let ra: { v: A } | undefined;
  let rb: { v: B } | undefined;
  return {
    poll(cx) {
      if (ra === undefined) {
        const p = a.poll(cx);
        if (p.ready) ra = { v: p.value };
      }
      if (rb === undefined) {
        const p = b.poll(cx);
        if (p.ready) rb = { v: p.value };
      }
      return ra !== undefined && rb !== undefined ? Ready([ra.v, rb.v]) : Pending;
    },
  };
}

/** Pending once, after waking itself (Rust: `tokio::task::yield_now()`), then Ready. */
function yieldNow<T>(value: T): Future<T> {
  let yielded = false;
  return {
    poll(cx) {
      if (yielded) return Ready(value);
      yielded = true;
      cx.waker.wake();
      return Pending;
    },
  };
}

/**
 * Wraps `fut` so the check can see when its wakers were woken: during its last poll, or after it
 * (through a clone it stored). Wakes still reach blockOn's own waker underneath.
 */
function watched<T>(fut: Future<T>) {
  const w = { polls: 0, inPoll: false, wakesDuringLastPoll: 0, wakesSinceLastPoll: 0 };
  const inner = new WeakMap<Waker, Waker>();
  const wrap = (under: Waker): Waker => {
    const me: Waker = {
      wake() {
        if (w.inPoll) w.wakesDuringLastPoll += 1;
        else w.wakesSinceLastPoll += 1;
        under.wake();
      },
      clone: () => wrap(under.clone()),
      willWakeSame: (other) => under.willWakeSame(inner.get(other) ?? other),
    };
    inner.set(me, under);
    return me;
  };
  const future: Future<T> = {
    poll(cx) {
      w.polls += 1;
      w.wakesDuringLastPoll = 0;
      w.wakesSinceLastPoll = 0;
      w.inPoll = true;
      try {
        return fut.poll({ waker: wrap(cx.waker) });
      } finally {
        w.inPoll = false;
      }
    },
    drop: () => fut.drop?.(),
  };
  return { future, stats: w };
}

/** Runs blockOn, turning a SpinDetected or a Deadlock after a lost wake into an explanation. */
function drive<T>(fut: Future<T>, reactor: Reactor): T {
  const { future, stats } = watched(fut);
  try {
    return blockOn(future, reactor);
  } catch (error) {
    if (error instanceof SpinDetected) {
      throw new Error(
        'blockOn kept polling a future that nobody had woken. Poll once, then poll again only after the ' +
          `waker you put in the Context was woken; in between, call reactor.turn().\n${error.message}`,
        { cause: error },
      );
    }
    if (error instanceof Deadlock && stats.wakesDuringLastPoll > 0) {
      throw new Error(
        `blockOn threw Deadlock, but the future woke its waker during its last poll (poll ${stats.polls}) and was ` +
          'never polled again: the wake was lost. The usual cause is a woken flag cleared after the poll instead ' +
          'of before it, which wipes out a wake that happens inside poll() (a yield). Clear the flag, then poll. ' +
          "(Rust's block_on has the same rule: the unpark token set during the poll must survive until the next park.)",
        { cause: error },
      );
    }
    if (error instanceof Deadlock && stats.wakesSinceLastPoll > 0) {
      throw new Error(
        `blockOn threw Deadlock, but after the future's last poll (poll ${stats.polls}) the waker it had stored was ` +
          `woken ${stats.wakesSinceLastPoll} time(s) (its timer fired) and blockOn never polled again: the wake did ` +
          "not reach blockOn's flag. The usual cause is a clone that does not share the flag: clone() must return " +
          'a waker that wakes the same blockOn (the same object, or one setting the same flag). In Rust every clone ' +
          'of a Waker points at the same task.',
        { cause: error },
      );
    }
    throw error;
  }
}

test('sleeps until woken: two timers take exactly 3 polls', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const [a = 0, b = 0] = rng.distinct(2, 20, 300);
    const [va = 0, vb = 0] = rng.distinct(2, 1, 1000);
    const reactor = new VirtualReactor();
    const fut = counted(join(after(reactor, a, va), after(reactor, b, vb)), { name: 'join(sleep, sleep)', maxPolls: 50 });
    const value = drive(fut, reactor);
    expect(value, `blockOn should return what the future returned (seed ${seed})`).toEqual([va, vb]);
    expect(
      fut.polls,
      `join(sleep(${a}), sleep(${b})) needs exactly 3 polls: one to start, one when the first timer ` +
        `fires, one when the second fires (seed ${seed})`,
    ).toBe(3);
    expect(fut.unwokenPolls, 'every poll after the first should follow a wake').toBe(0);
    expect(reactor.now, `the future is done when the later timer fires, at t=${Math.max(a, b)}`).toBe(Math.max(a, b));
  }
});

test('throws Deadlock when nothing can wake it', () => {
  const reactor = new VirtualReactor();
  let turns = 0;
  // The real reactor, with a guard: a loop that ignores turn()'s `false` would spin here forever.
  const guarded: Reactor = {
    turn() {
      turns += 1;
      if (turns > 1000) {
        throw new Error(
          'reactor.turn() was called 1000 times although it kept returning false. false means the reactor ' +
            'has nothing left to wake: throw Deadlock instead of turning again.',
        );
      }
      return reactor.turn();
    },
  };
  const fut = counted(pending<number>(), { name: 'pending()', maxPolls: 1000 });
  let thrown: unknown;
  try {
    drive(fut, guarded);
  } catch (error) {
    thrown = error;
  }
  expect(
    thrown,
    'blockOn(pending()) must throw Deadlock: the future is Pending, nothing woke it, and reactor.turn() ' +
      `returned false. Got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`,
  ).toBeInstanceOf(Deadlock);
  expect(fut.polls, 'pending() should be polled once: nothing ever woke it').toBe(1);
  const e = thrown instanceof Error ? thrown : undefined;
  expect(e?.name, 'the Deadlock should show as a Deadlock in a stack trace: keep its name').toBe('Deadlock');
  const message = e?.message ?? '';
  expect(
    [/deadlock/i.test(message), /clear/i.test(message) && /after the poll/i.test(message), /clone/i.test(message)],
    'the Deadlock message is what a learner reads when a wake got lost, so it should say "deadlock" and name the ' +
      'two usual causes: a woken flag cleared after the poll, and a waker clone that sets a flag of its own. ' +
      `It reads "${message}"`,
  ).toEqual([true, true, true]);
});

test('a self-wake is polled again without turning the reactor', () => {
  for (const seed of SEEDS) {
    const value = seeded(seed).int(1, 1000);
    const reactor = new VirtualReactor();
    // Somebody else's timer: turning the reactor would fire it and move the clock.
    const other = spyWaker('other task');
    reactor.registerTimer(50, other.waker);
    const fut = counted(yieldNow(value), { name: 'yieldNow', maxPolls: 50 });
    expect(drive(fut, reactor), 'blockOn should return the value of the future').toBe(value);
    expect(fut.polls, 'a future that woke itself once should be polled exactly twice').toBe(2);
    expect(
      reactor.turns,
      'the future woke itself during its first poll, so it can run again right away: blockOn should poll ' +
        'it without turning the reactor (turning would wait for the next timer first)',
    ).toBe(0);
  }
});

test('polls only after its own waker was woken', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ms = rng.int(50, 300);
    const early = rng.int(1, ms - 1);
    const value = rng.int(1, 1000);
    const reactor = new VirtualReactor();
    const other = spyWaker('other task');
    reactor.registerTimer(early, other.waker);
    const fut = counted(after(reactor, ms, value), { name: `sleep(${ms})`, maxPolls: 50 });
    expect(drive(fut, reactor), 'blockOn should return the value of the future').toBe(value);
    expect(other.wakes, `the unrelated timer at t=${early} should have fired on the way`).toBe(1);
    expect(
      fut.unwokenPolls,
      `a turn that woke only somebody else (a timer at t=${early}) is no reason to poll: check your own ` +
        `flag after each turn and turn again if it is not set (seed ${seed})`,
    ).toBe(0);
    expect(fut.polls, `sleep(${ms}) should be polled twice: to start, and when its timer fires`).toBe(2);
    expect(reactor.now, `the sleep ends at t=${ms}`).toBe(ms);
  }
});

test('a double wake means one poll', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const d = rng.int(20, 200);
    const later = d + rng.int(1, 100);
    const reactor = new VirtualReactor();
    // Two timers due at the same moment wake the task twice in one turn.
    const inner = join(join(after(reactor, d, 'a'), after(reactor, d, 'b')), after(reactor, later, 'c'));
    const fut = counted(inner, { name: 'join(join(sleep, sleep), sleep)', maxPolls: 50 });
    expect(drive(fut, reactor), 'blockOn should return what the future returned').toEqual([['a', 'b'], 'c']);
    expect(
      fut.polls,
      `two timers fire together at t=${d} and wake the task twice before its next poll; that asks for ONE poll, ` +
        `so 3 polls in all (start, t=${d}, t=${later}). Keep a flag ("woken"), not a count of wakes (seed ${seed})`,
    ).toBe(3);
    expect(fut.unwokenPolls, 'no poll without a wake since the one before').toBe(0);
  }
  let polls = 0;
  const twice: Future<string> = {
    poll(cx) {
      polls += 1;
      if (polls > 1) return Ready('done');
      cx.waker.wake();
      cx.waker.clone().wake();
      return Pending;
    },
  };
  expect(drive(twice, new VirtualReactor()), 'a future that wakes itself twice in one poll').toBe('done');
  expect(polls, 'is polled once more, not twice more').toBe(2);
});

test("willWakeSame tells blockOn's waker from another's", () => {
  for (const seed of SEEDS) {
    const value = seeded(seed).int(1, 1000);
    const other = spyWaker('another task');
    const seen: Array<[string, boolean]> = [];
    let first: Waker | undefined;
    const fut: Future<number> = {
      poll(cx) {
        if (first === undefined) {
          first = cx.waker.clone();
          seen.push(['its own clone', cx.waker.willWakeSame(first)]);
          seen.push(['another task\'s waker', cx.waker.willWakeSame(other.waker)]);
          cx.waker.wake();
          return Pending;
        }
        seen.push(['the clone kept from the first poll', cx.waker.willWakeSame(first)]);
        seen.push(['another task\'s waker, on the second poll', first.willWakeSame(other.waker)]);
        return Ready(value);
      },
    };
    expect(blockOn(fut, new VirtualReactor()), 'blockOn should return the value of the future').toBe(value);
    const want: Array<[string, boolean]> = [
      ['its own clone', true],
      ['another task\'s waker', false],
      ['the clone kept from the first poll', true],
      ['another task\'s waker, on the second poll', false],
    ];
    expect(
      seen,
      "each entry is [the waker compared with blockOn's waker, what willWakeSame answered]. A leaf future uses it to " +
        'skip replacing a waker it already stored: true for a waker that wakes this same blockOn (any clone, from any ' +
        "poll), false for anybody else's, or the wrong task is woken or a wake is lost (Rust: Waker::will_wake)",
    ).toEqual(want);
    expect(other.wakes, "another task's waker is never woken by blockOn").toBe(0);
  }
});

test('builds the loop by hand', () => {
  const found = banned(
    new URL('./block_on.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'blockOn is built here from poll, a waker and reactor.turn(), without the reference runtime or JavaScript timers and promises',
  );
  expect(found, found.join('\n')).toEqual([]);
  expect(
    Deadlock === LibDeadlock || Object.getPrototypeOf(Deadlock) === LibDeadlock,
    "Deadlock is the course library's (../_lib/runtime): declare your own class, and write blockOn yourself",
  ).toBe(false);
  let thrown: unknown;
  try {
    // Capped: a loop that spins or ignores turn()'s false is another test's business.
    const empty = new VirtualReactor();
    let turns = 0;
    const capped: Reactor = {
      turn() {
        turns += 1;
        if (turns > 100) throw new Error('reactor.turn() called 100 times on an empty reactor');
        return empty.turn();
      },
    };
    blockOn(counted(pending<number>(), { name: 'pending()', maxPolls: 100 }), capped);
  } catch (error) {
    thrown = error;
  }
  expect(
    thrown instanceof LibDeadlock,
    "blockOn threw the course library's Deadlock: it hands the work to the reference runtime instead of running its own loop",
  ).toBe(false);
});
