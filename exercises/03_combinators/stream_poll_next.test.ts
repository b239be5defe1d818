import { expect, test } from 'vitest';
import { pollNextWith, pollWith, seeded, spyWaker, SEEDS, TestExecutor, VirtualReactor } from 'async-lessons/harness';
import { END, type Context, type Poll, type Stream } from '../_lib/future';
import { collect, interval, take } from './stream_poll_next';

/** Wraps a stream and records what is done to it. */
function spyStream<T>(inner: Stream<T>, limit: number) {
  const s = { polls: 0, items: 0, drops: 0, pollsAfterLimit: 0, pollsAfterDrop: 0 };
  const stream: Stream<T> = {
    pollNext(cx: Context): Poll<T | typeof END> {
      s.polls += 1;
      if (s.drops > 0) s.pollsAfterDrop += 1;
      if (s.items >= limit) s.pollsAfterLimit += 1;
      const p = inner.pollNext(cx);
      if (p.ready && p.value !== END) s.items += 1;
      return p;
    },
    drop() {
      s.drops += 1;
      inner.drop?.();
    },
  };
  return { stream, stats: s };
}

/** A finite stream that is always ready; polling it after it said END throws. */
function fromArray<T>(items: readonly T[]): Stream<T> {
  let i = 0;
  let ended = false;
  return {
    pollNext(): Poll<T | typeof END> {
      if (ended) throw new Error('a finished stream was polled again after it returned END');
      if (i < items.length) return { ready: true, value: items[i++] as T };
      ended = true;
      return { ready: true, value: END };
    },
  };
}

function cases(): Array<[number, number]> {
  return [[10, 3], ...SEEDS.map((seed): [number, number] => {
    const rng = seeded(seed);
    return [rng.int(5, 50), rng.int(2, 6)];
  })];
}

test('collects [1, 2, 3] at t=30 in 4 polls', () => {
  for (const [ms, n] of cases()) {
    const reactor = new VirtualReactor();
    const exec = new TestExecutor({ reactor });
    const handle = exec.spawn('collect', collect(take(interval(reactor, ms), n)));
    exec.run({ maxPolls: 100 });
    const want = Array.from({ length: n }, (_, i) => i + 1);
    expect(handle.done, `collect(take(interval(${ms}), ${n})) should finish. ${exec.explainStalled()}`).toBe(true);
    expect(handle.result, `it should collect [${want.join(', ')}]`).toEqual(want);
    expect(handle.finishedAt, `the ${n}th tick is due at ${n} × ${ms} = ${n * ms} ms, so it should finish then`).toBe(n * ms);
    expect(
      handle.polls,
      `the task should be polled ${n + 1} times: once at the start and once per tick. ` +
        'collect must take every item that is ready in one poll, and nothing may wake itself',
    ).toBe(n + 1);
  }
});

test('registers one timer while waiting', () => {
  for (const [ms] of cases()) {
    const reactor = new VirtualReactor();
    const spy = spyWaker('interval');
    const s = interval(reactor, ms);
    for (let i = 0; i < 3; i++) {
      expect(pollNextWith(s, spy).ready, `at t=0 the first tick (due at ${ms}) is not ready: Pending`).toBe(false);
    }
    expect(
      reactor.pendingTimers,
      'after three Pending polls there should be exactly one timer: pass the previous id to ' +
        'registerTimer(deadline, waker, id) to replace it instead of adding another',
    ).toBe(1);
    const [reg] = reactor.registrations();
    expect(reg?.kind === 'timer' && reg.deadline, `the timer should be set for the first tick, t=${ms}`).toBe(ms);
    expect(reg?.waker.willWakeSame(spy.waker), 'the timer should hold (a clone of) cx.waker').toBe(true);
    reactor.advance(ms);
    expect(spy.wakes, 'the timer should wake the task when the tick is due').toBe(1);
    expect(pollNextWith(s, spy), 'and the next poll gives item 1').toEqual({ ready: true, value: 1 });
    s.drop?.();
    expect(reactor.pendingTimers, "drop() should cancel the interval's timer").toBe(0);
    const t = interval(reactor, ms);
    pollNextWith(t, spy);
    expect(t.drop, 'interval needs a drop() method').toBeTypeOf('function');
    t.drop?.();
    expect(reactor.pendingTimers, 'dropping an interval that is waiting should cancel its timer').toBe(0);
  }
});

test('never wakes itself during a poll', () => {
  const reactor = new VirtualReactor();
  const spy = spyWaker('stream');
  const s = take(interval(reactor, 10), 3);
  const seen: unknown[] = [];
  for (let i = 0; i < 20 && seen.length < 4; i++) {
    const p = pollNextWith(s, spy);
    if (p.ready) seen.push(p.value);
    else reactor.turn();
  }
  expect(
    spy.wokeDuringPoll,
    'a stream must not call cx.waker.wake() inside pollNext to get polled again: register a timer instead',
  ).toBe(0);
  expect(seen, 'take(interval(10), 3) should give 1, 2, 3 and then END').toEqual([1, 2, 3, END]);
});

test('keeps to its schedule when polled late', () => {
  for (const [ms] of cases()) {
    const reactor = new VirtualReactor();
    const spy = spyWaker('interval');
    const s = interval(reactor, ms);
    reactor.advance(3 * ms + Math.floor(ms / 2));
    const got = [pollNextWith(s, spy), pollNextWith(s, spy), pollNextWith(s, spy), pollNextWith(s, spy)];
    expect(
      got,
      `first polled at t=${3 * ms + Math.floor(ms / 2)}: ticks 1, 2 and 3 (due at ${ms}, ${2 * ms}, ${3 * ms}) are all ` +
        'overdue, so three polls give 1, 2, 3 straight away and the fourth is Pending. Item n is due at ' +
        'creation time + n × ms, not ms after the previous item was handed out',
    ).toEqual([
      { ready: true, value: 1 },
      { ready: true, value: 2 },
      { ready: true, value: 3 },
      { ready: false },
    ]);
    expect(
      reactor.registrations().map((r) => (r.kind === 'timer' ? r.deadline : -1)),
      `the Pending poll should register one timer, for the 4th tick at t=${4 * ms}`,
    ).toEqual([4 * ms]);
    s.drop?.();
  }
});

test('take drops the inner stream when it ends', () => {
  for (const [ms, n] of cases()) {
    const reactor = new VirtualReactor();
    const inner = spyStream(interval(reactor, ms), n);
    const exec = new TestExecutor({ reactor });
    const handle = exec.spawn('collect', collect(take(inner.stream, n)));
    exec.run({ maxPolls: 100 });
    expect(handle.done, 'collect(take(...)) should finish').toBe(true);
    expect(
      inner.stats.drops,
      `take(interval, ${n}) should drop the interval once it has its ${n} items (Rust drops it; here call drop())`,
    ).toBe(1);
    expect(inner.stats.pollsAfterLimit, `take must not poll the inner stream again once it has ${n} items`).toBe(0);
    expect(reactor.pendingTimers, 'no timer may stay registered once take has ended').toBe(0);
  }
});

test('keeps returning END after the end', () => {
  const reactor = new VirtualReactor();
  const spy = spyWaker('take');
  const inner = spyStream(interval(reactor, 10), 2);
  const s = take(inner.stream, 2);
  const seen: unknown[] = [];
  for (let i = 0; i < 10 && seen.length < 3; i++) {
    const p = pollNextWith(s, spy);
    if (p.ready) seen.push(p.value);
    else reactor.turn();
  }
  expect(seen, 'take(interval(10), 2) should give 1, 2, END').toEqual([1, 2, END]);
  const polls = inner.stats.polls;
  for (let i = 0; i < 3; i++) {
    expect(pollNextWith(s, spy), 'after END, take must keep returning END (a fused stream)').toEqual({ ready: true, value: END });
  }
  expect(inner.stats.polls, 'those extra polls must not reach the inner stream').toBe(polls);

  const short = take(fromArray(['x', 'y']), 5);
  const got = [pollNextWith(short, spy), pollNextWith(short, spy), pollNextWith(short, spy)];
  expect(got, 'take(5) of a 2-item stream gives x, y, then END').toEqual([
    { ready: true, value: 'x' },
    { ready: true, value: 'y' },
    { ready: true, value: END },
  ]);
  expect(
    () => pollNextWith(short, spy),
    'after the inner stream said END, take must answer END itself and not poll the inner stream again',
  ).not.toThrow();
  expect(pollNextWith(take(fromArray([1]), 0), spy), 'take(s, 0) is END at once').toEqual({ ready: true, value: END });
});

test('wakes the task that polled it last', () => {
  for (const [ms, n] of cases()) {
    for (const wrap of [false, true]) {
      const reactor = new VirtualReactor();
      const s = wrap ? take(interval(reactor, ms), n) : interval(reactor, ms);
      const what = wrap ? `take(interval(${ms}), ${n})` : `interval(${ms})`;
      const first = spyWaker('first task');
      const second = spyWaker('second task');
      expect(pollNextWith(s, first).ready, `${what} at t=0: Pending`).toBe(false);
      expect(pollNextWith(s, second).ready, 'still Pending when a second task polls it').toBe(false);
      expect(reactor.pendingTimers, 'still exactly one timer').toBe(1);
      reactor.advance(ms);
      expect(
        [first.wakes, second.wakes],
        `${what} was polled by a second task (it moved): the tick at t=${ms} must wake the second task, not the ` +
          'first. On every Pending poll, register cx.waker (replacing the old registration); a timer registered ' +
          'once with the first waker wakes a task that no longer owns the stream',
      ).toEqual([0, 1]);
      s.drop?.();
    }
  }
});

test('a Ready item leaves no timer behind', () => {
  for (const [ms] of cases()) {
    const reactor = new VirtualReactor();
    const spy = spyWaker('interval');
    const s = interval(reactor, ms);
    expect(pollNextWith(s, spy).ready, 'at t=0: Pending, with a timer for the first tick').toBe(false);
    reactor.cpu(ms); // blocking work: the clock reaches the tick, the timer has not fired
    expect(pollNextWith(s, spy), `at t=${ms} item 1 is due`).toEqual({ ready: true, value: 1 });
    expect(
      reactor.pendingTimers,
      'interval returned item 1 while the timer it registered for it was still pending: cancel that timer when ' +
        'you hand out the item, or it fires later and wakes the task for nothing',
    ).toBe(0);
    reactor.turn();
    expect(spy.wakes, 'nobody is woken by a leftover timer').toBe(0);
    s.drop?.();
  }
});

test('dropping collect mid-way cancels the interval', () => {
  for (const [ms, n] of cases()) {
    const reactor = new VirtualReactor();
    const inner = spyStream(interval(reactor, ms), n);
    const exec = new TestExecutor({ reactor });
    const c = collect(take(inner.stream, n));
    const handle = exec.spawn('collect', c);
    exec.runUntilStalled({ maxPolls: 100 });
    reactor.advance(ms); // item 1 of n
    exec.runUntilStalled({ maxPolls: 100 });
    expect(handle.done, `after 1 of ${n} ticks collect is still waiting`).toBe(false);
    expect(c.drop, 'collect needs a drop() method').toBeTypeOf('function');
    handle.abort(); // calls c.drop()
    expect(
      inner.stats.drops,
      `collect(take(interval, ${n})) was dropped after 1 item: collect drops take, and take must drop the ` +
        'interval it owns (exactly once), as Rust drops every field of a dropped future',
    ).toBe(1);
    expect(reactor.pendingTimers, "so the interval's timer is cancelled").toBe(0);
  }
});

test('collect takes everything ready in one poll', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const items = Array.from({ length: rng.int(0, 8) }, () => rng.int(0, 99));
    const spy = spyWaker('collect');
    const p = pollWith(collect(fromArray(items)), spy);
    expect(p, `a stream that is always ready should be collected in one poll: [${items.join(', ')}]`).toEqual({
      ready: true,
      value: items,
    });
  }
  for (const items of [[], [0], [0, '', false, null, undefined, Number.NaN], ['', 0]] as unknown[][]) {
    const spy = spyWaker('collect');
    expect(
      pollWith(collect(fromArray(items)), spy),
      `collect of [${items.map(String).join(', ')}] keeps every item, falsy ones too: only END ends the stream`,
    ).toEqual({ ready: true, value: items });
    expect(
      pollWith(collect(take(fromArray(items), Math.max(1, items.length - 1))), spy),
      `take(${Math.max(1, items.length - 1)}) of [${items.map(String).join(', ')}] counts falsy items like any other`,
    ).toEqual({ ready: true, value: items.slice(0, Math.max(1, items.length - 1)) });
  }
});
