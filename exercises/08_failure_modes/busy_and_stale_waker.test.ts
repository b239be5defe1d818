import { expect, test } from 'vitest';
import { SEEDS, SpinDetected, TestExecutor, VirtualReactor, banned, pollNextWith, seeded, spyWaker, type Future, type Stream } from 'async-lessons/harness';
import { Ticker } from './busy_and_stale_waker';

/** A future that takes `n` ticks and outputs the virtual time at which each one arrived. */
function takeTicks(ticker: Ticker, reactor: VirtualReactor, n: number): Future<number[]> {
  const times: number[] = [];
  return {
    poll(cx) {
      for (;;) {
        const p = ticker.pollNext(cx);
        if (!p.ready) return { ready: false };
        if (p.value !== times.length + 1) throw new Error(`tick ${times.length + 1} expected, the ticker gave ${String(p.value)}`);
        times.push(reactor.now);
        if (times.length === n) return { ready: true, value: times };
      }
    },
  };
}

function runAll(ex: TestExecutor): void {
  try {
    ex.run({ maxPolls: 200 });
  } catch (error) {
    if (error instanceof SpinDetected) {
      throw new Error(
        'the ticker kept asking to be polled again before its tick was due. Waking yourself in pollNext means "poll ' +
          'me again right away": the executor does, forever, and the clock never reaches the tick (it moves only when ' +
          'no task is runnable). Register a timer with reactor.registerTimer(due, waker) and return Pending.\n' +
          error.message,
        { cause: error },
      );
    }
    throw error;
  }
}

test('naive: a poll loop that moves the clock sees every tick (this passes even with the bugs)', () => {
  const reactor = new VirtualReactor();
  const ticker = new Ticker(reactor, 10);
  const spy = spyWaker('loop');
  const got: Array<[number, number]> = [];
  for (let i = 0; got.length < 3 && i < 100; i++) {
    const p = pollNextWith(ticker, spy);
    if (p.ready) got.push([p.value as number, reactor.now]);
    else reactor.advance(1);
  }
  expect(got).toEqual([[1, 10], [2, 20], [3, 30]]);
});

test('a 1000 ms tick on a one-task executor takes 2 polls', () => {
  const reactor = new VirtualReactor();
  const ex = new TestExecutor({ reactor });
  const t = ex.spawn('ticks', takeTicks(new Ticker(reactor, 1000), reactor, 1));
  runAll(ex);
  expect(t.done && t.result, 'the tick arrives at exactly 1000 ms').toEqual([1000]);
  expect(t.polls, 'one poll that registers the timer, one when it fires').toBe(2);
  expect(t.wokeDuringPoll, 'the ticker should never wake itself').toBe(0);
});

test('ticks arrive on schedule, one poll each', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor(rng.int(0, 50));
    const start = reactor.now;
    const period = rng.int(1, 400);
    const n = rng.int(2, 6);
    const ex = new TestExecutor({ reactor });
    const t = ex.spawn('ticks', takeTicks(new Ticker(reactor, period), reactor, n));
    runAll(ex);
    expect(t.done && t.result, `${n} ticks every ${period} ms from ${start} (seed ${seed})`).toEqual(Array.from({ length: n }, (_, k) => start + (k + 1) * period));
    expect(t.polls, `one poll to start and one per tick (seed ${seed})`).toBe(n + 1);
    expect(reactor.firedTimers, 'one timer per tick: a registration per poll piles up').toBe(n);
  }
});

test('moved to another task, it wakes the new task and not the old one', () => {
  for (const seed of SEEDS) {
    const period = seeded(seed).int(5, 500);
    const reactor = new VirtualReactor();
    const ticker = new Ticker(reactor, period);
    const [a, b] = [spyWaker('task A'), spyWaker('task B')];
    expect(pollNextWith(ticker, a).ready, 'not due yet').toBe(false);
    expect(pollNextWith(ticker, b).ready, 'still not due').toBe(false);
    expect(
      reactor.pendingTimers,
      'polled by two tasks, the ticker should hold ONE timer (re-register with the old id as replace), not one per poll',
    ).toBe(1);
    reactor.advance(period);
    expect(
      [a.wakes, b.wakes],
      'the ticker was last polled by task B, so B must be woken, not A: update the stored waker when ' +
        '!stored.willWakeSame(cx.waker)',
    ).toEqual([0, 1]);
    expect(pollNextWith(ticker, b)).toEqual({ ready: true, value: 1 });
  }
});

test('polled again by the same task, it clones and registers nothing new', () => {
  const reactor = new VirtualReactor();
  // The same reactor, counting registerTimer calls (replacing ones too).
  let registerCalls = 0;
  const counting = {
    get now() {
      return reactor.now;
    },
    registerTimer: (...args: Parameters<VirtualReactor['registerTimer']>) => {
      registerCalls += 1;
      return reactor.registerTimer(...args);
    },
    cancelTimer: (id: number) => reactor.cancelTimer(id),
  };
  const ticker = new Ticker(counting, 100);
  const [a, b] = [spyWaker('task A'), spyWaker('task B')];
  for (const spy of [a, a, a, b, b, a]) expect(pollNextWith(ticker, spy).ready).toBe(false);
  expect(
    [a.clones, b.clones],
    'the wakers seen were A, then B, then A again: 3 changes, so at most 3 clones in all. A poll from the task ' +
      'whose waker is already stored (willWakeSame) needs no clone',
  ).toEqual([2, 1]);
  expect(reactor.pendingTimers, 'one timer, whatever the number of polls').toBe(1);
  expect(
    registerCalls,
    'six polls from A, A, A, B, B, A: register once, then re-register only when the waker changes (to B, back to A), ' +
      '3 calls in all. A registration that already holds the right waker needs no new call',
  ).toBe(3);
  reactor.advance(100);
  expect([a.wakes, b.wakes], 'A polled last: A is woken, once').toEqual([1, 0]);
});

test('a late poll keeps the schedule', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const period = rng.int(10, 300);
    const late = rng.int(1, period - 1);
    const reactor = new VirtualReactor();
    const ticker = new Ticker(reactor, period);
    const spy = spyWaker('task');
    pollNextWith(ticker, spy);
    reactor.advance(period + late);
    expect(pollNextWith(ticker, spy), 'tick 1 is due').toEqual({ ready: true, value: 1 });
    expect(pollNextWith(ticker, spy).ready, 'tick 2 is not').toBe(false);
    const deadlines = reactor.registrations().map((r) => (r.kind === 'timer' ? r.deadline : NaN));
    expect(
      deadlines,
      `tick 2 is due at 2 × ${period} ms, not ${period} ms after the late poll at ${period + late} ms (seed ${seed})`,
    ).toEqual([2 * period]);
    reactor.cpu(2 * period); // the thread was busy: ticks 2 and 3 are now due at once
    expect(pollNextWith(ticker, spy)).toEqual({ ready: true, value: 2 });
    expect(pollNextWith(ticker, spy)).toEqual({ ready: true, value: 3 });
    expect(spy.wokeDuringPoll, 'no self-wakes').toBe(0);
  }
});

test('a Ready tick leaves no timer behind', () => {
  const reactor = new VirtualReactor();
  const ticker = new Ticker(reactor, 50);
  const spy = spyWaker('task');
  pollNextWith(ticker, spy);
  reactor.cpu(60); // the deadline passes while the thread is busy: the timer has not fired yet
  expect(pollNextWith(ticker, spy)).toEqual({ ready: true, value: 1 });
  expect(
    reactor.pendingTimers,
    'tick 1 was returned Ready while its timer was still registered: cancel it (reactor.cancelTimer(id)), or it ' +
      'wakes the task later for nothing',
  ).toBe(0);
  reactor.turn();
  expect(spy.wakes, 'nothing wakes the task for a tick it already has').toBe(0);
});

test('drop() cancels the timer', () => {
  const reactor = new VirtualReactor();
  const ticker = new Ticker(reactor, 80);
  const spy = spyWaker('task');
  pollNextWith(ticker, spy);
  const stream: Stream<number> = ticker;
  expect(typeof stream.drop, 'Ticker needs a drop() method').toBe('function');
  stream.drop?.();
  stream.drop?.();
  expect(reactor.pendingTimers, 'a dropped (cancelled) ticker holds no timer').toBe(0);
  reactor.advance(1000);
  expect(spy.wakes, 'and never wakes its old task').toBe(0);
});

test('waits only through the reactor', () => {
  const found = banned(
    new URL('./busy_and_stale_waker.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'the ticker waits by registering a timer with the reactor',
  );
  expect(found, found.join('\n')).toEqual([]);
});
