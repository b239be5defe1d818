import { expect, test } from 'vitest';
import { banned, counted, pollWith, seeded, sleep, spyWaker, SEEDS, TestExecutor, VirtualReactor, type Sleep } from 'async-lessons/harness';
import { Pending, Ready, ready, type Context, type Future, type Poll } from '../_lib/future';
import { join as libJoin } from '../_lib/combinators';
import { join } from './join';

/**
 * Like Rust's `async { sleep(ms).await; value }`: the timer starts on the first poll (a future does
 * nothing until polled), and the value is ready `ms` virtual ms later. Polling it again after it
 * returned Ready does not throw here: `counted` records it, so the check can say so.
 */
function valueAfter<T>(reactor: VirtualReactor, ms: number, value: T): Future<T> {
  let timer: Sleep | undefined;
  let done = false;
  return {
    poll(cx: Context): Poll<T> {
      if (done) return Ready(value);
      timer ??= sleep(reactor, ms);
      if (!timer.poll(cx).ready) return Pending;
      done = true;
      return Ready(value);
    },
    drop() {
      timer?.drop();
    },
  };
}

/** The course library's implementations: importing them would hand in the answer. */
const LIB = ['../_lib/combinators', '../_lib/runtime'].map((m) => `import:${m}`); // bans resolve paths: './../_lib/runtime.js' and friends hit too

function durations(seed: number): [number, number] {
  const rng = seeded(seed);
  const fast = rng.int(20, 120);
  return [fast, fast + rng.int(10, 80)];
}

/** Two counted children on a fresh reactor: a ready after `da` ms, b after `db` ms. */
function children(da: number, db: number, seed: number) {
  const rng = seeded(seed + 100);
  const va = `a${rng.int(0, 999)}`;
  const vb = rng.int(0, 999);
  const reactor = new VirtualReactor();
  const a = counted(valueAfter(reactor, da, va), { name: 'a', maxPolls: 20 });
  const b = counted(valueAfter(reactor, db, vb), { name: 'b', maxPolls: 20 });
  return { reactor, a, b, da, db, va, vb };
}

function scenario(seed: number, slowerFirst: boolean) {
  const [fast, slow] = durations(seed);
  return slowerFirst ? children(slow, fast, seed) : children(fast, slow, seed);
}

test('finishes when the slower child does', () => {
  const cases: Array<[number, number]> = [[100, 150], ...SEEDS.map(durations)];
  for (const [i, [da, db]] of cases.entries()) {
    const { reactor, a, b } = children(da, db, i);
    const exec = new TestExecutor({ reactor });
    const handle = exec.spawn('join', join(a, b));
    exec.runUntilStalled({ maxPolls: 20 });
    reactor.advance(db - 1);
    exec.runUntilStalled({ maxPolls: 20 });
    expect(handle.done, `join(sleep(${da}), sleep(${db})) must not be done at t=${db - 1}`).toBe(false);
    reactor.advance(1);
    exec.runUntilStalled({ maxPolls: 20 });
    expect(
      handle.done,
      `join(sleep(${da}), sleep(${db})) should finish at t=${db}, when the slower child does: both run at ` +
        `the same time. Polling b only after a has finished makes it end at t=${da + db}`,
    ).toBe(true);
    expect(handle.finishedAt, `it should finish at exactly t=${db}`).toBe(db);
  }
});

test('starts both timers on the first poll', () => {
  for (const seed of SEEDS) {
    const s = scenario(seed, false);
    const spy = spyWaker('join');
    const p = pollWith(join(s.a, s.b), spy);
    expect(p.ready, 'the first poll should be Pending: neither sleep is over').toBe(false);
    expect(
      s.reactor.pendingTimers,
      'after the first poll both children should have registered their timers (2 pending timers): ' +
        'poll every unfinished child on every poll',
    ).toBe(2);
    expect(spy.wokeDuringPoll, 'join must not wake itself').toBe(0);
  }
});

test('never polls a finished child again', () => {
  for (const seed of SEEDS) {
    // b finishes first here: its slot is full while a still runs
    const s = scenario(seed, true);
    const exec = new TestExecutor({ reactor: s.reactor });
    const handle = exec.spawn('join', join(s.a, s.b));
    exec.run({ maxPolls: 20 });
    expect(handle.result, `join should output [a, b] = [${s.va}, ${s.vb}]`).toEqual([s.va, s.vb]);
    expect(
      s.b.pollsAfterReady,
      `b finished first, at t=${s.db}; join polled it ${s.b.pollsAfterReady} more time(s) afterwards, when a's timer ` +
        'woke the join. Check both slots: poll b, like a, only while its slot is empty',
    ).toBe(0);
    expect(s.a.pollsAfterReady, 'a must not be polled after it returned Ready either').toBe(0);
  }
  for (const seed of SEEDS) {
    const s = scenario(seed, false);
    const exec = new TestExecutor({ reactor: s.reactor });
    const handle = exec.spawn('join', join(s.a, s.b));
    exec.run({ maxPolls: 20 });
    expect(handle.result, `join should output [a, b] = [${s.va}, ${s.vb}]`).toEqual([s.va, s.vb]);
    expect(
      s.a.pollsAfterReady,
      `a finished at t=${s.da}; join polled it ${s.a.pollsAfterReady} more time(s) afterwards. Keep its output in ` +
        'a slot and poll only the children whose slot is still empty',
    ).toBe(0);
    expect(s.b.pollsAfterReady, 'b must not be polled after it returned Ready either').toBe(0);
    expect(s.a.polls, `a should be polled exactly twice: on the first poll and when its timer fires at t=${s.da}`).toBe(2);
    expect(handle.polls, 'the join task should be polled once plus once per wake (two timers: 3 polls)').toBe(3);
  }
});

test('keeps the output order', () => {
  for (const seed of SEEDS) {
    const s = scenario(seed, true); // now a is the slower one
    const exec = new TestExecutor({ reactor: s.reactor });
    const handle = exec.spawn('join', join(s.a, s.b));
    exec.run({ maxPolls: 20 });
    expect(
      handle.result,
      `b finishes first (t=${s.db}) and a later (t=${s.da}), yet the output must still be [a's, b's] = ` +
        `[${s.va}, ${s.vb}]: put each output in its own slot, not in finishing order`,
    ).toEqual([s.va, s.vb]);
    expect(handle.finishedAt, `it should finish at t=${s.da}`).toBe(s.da);
  }
});

test('two ready children finish in one poll', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const x = rng.int(0, 999);
    const y = `y${rng.int(0, 999)}`;
    const spy = spyWaker('join');
    const p = pollWith(join(ready(x), ready(y)), spy);
    expect(
      p,
      'when both children are Ready on their first poll, the join should be Ready([x, y]) on its first ' +
        'poll: return Ready as soon as both slots are full',
    ).toEqual(Ready([x, y]));
    expect(spy.wokeDuringPoll, 'no self-wakes').toBe(0);
  }
  for (const [x, y] of [[undefined, null], [0, false], ['', Number.NaN], [false, 0]] as const) {
    const spy = spyWaker('join');
    const p = pollWith(join(ready<unknown>(x), ready<unknown>(y)), spy);
    expect(
      p,
      `children whose outputs are ${JSON.stringify(String(x))} and ${JSON.stringify(String(y))} still fill their slots: ` +
        'mark a full slot by something a child cannot return ({ value } or a flag), not by the value itself',
    ).toEqual(Ready([x, y]));
  }
});

test('a finished or dropped join is used up', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const spy = spyWaker('join');
    const j = join(ready(rng.int(0, 99)), ready(rng.int(0, 99)));
    expect(pollWith(j, spy).ready, 'two ready children: Ready on the first poll').toBe(true);
    expect(
      () => pollWith(j, spy),
      'the join was polled again after it returned Ready, and answered as if nothing were wrong. A future that ' +
        'returned Ready is used up: polling it again is a bug in the caller, so say so with a throw, as ready() ' +
        "does (Rust's join panics). Remember in the join that it has finished",
    ).toThrow();
  }
  for (const seed of SEEDS) {
    for (const slowerFirst of [false, true]) {
      const s = scenario(seed, slowerFirst);
      const spy = spyWaker('join');
      const j = join(s.a, s.b);
      pollWith(j, spy);
      j.drop?.();
      const polls = [s.a.polls, s.b.polls];
      expect(
        () => pollWith(j, spy),
        'the join was polled after drop() and did not throw: a dropped future is gone (Rust: it no longer exists). ' +
          'Polling it would poll the dropped children again and restart what drop cancelled; remember the drop and ' +
          'throw on a poll after it',
      ).toThrow();
      expect([s.a.polls, s.b.polls], 'a poll after drop() must not reach the dropped children').toEqual(polls);
      expect(s.reactor.pendingTimers, 'and must not register their timers again').toBe(0);
    }
  }
});

test('wakes the task that polled it last', () => {
  for (const seed of SEEDS) {
    const s = scenario(seed, false);
    const j = join(s.a, s.b);
    const first = spyWaker('first task');
    const second = spyWaker('second task');
    expect(pollWith(j, first).ready, 'the first poll is Pending').toBe(false);
    expect(pollWith(j, second).ready, 'so is the second, by another task').toBe(false);
    s.reactor.advance(s.da);
    expect(
      [first.wakes, second.wakes],
      `the join was polled by a second task (it moved): when a finishes at t=${s.da}, the second task must be ` +
        "woken, not the first. Pass each poll's own cx to the children; never keep a Context or waker from an " +
        `earlier poll (seed ${seed})`,
    ).toEqual([0, 1]);
  }
});

test('drop cancels the unfinished children', () => {
  for (const seed of SEEDS) {
    const s = scenario(seed, false);
    const exec = new TestExecutor({ reactor: s.reactor });
    const j = join(s.a, s.b);
    const handle = exec.spawn('join', j);
    exec.runUntilStalled({ maxPolls: 20 });
    s.reactor.advance(s.da);
    exec.runUntilStalled({ maxPolls: 20 });
    expect(handle.done, `at t=${s.da} only a has finished`).toBe(false);
    expect(j.drop, 'the future join returns needs a drop() method').toBeTypeOf('function');
    handle.abort(); // calls j.drop()
    expect(s.b.drops, 'dropping the join should drop b, which is still running').toBeGreaterThanOrEqual(1);
    expect(s.reactor.pendingTimers, "dropping the join should cancel b's timer (0 pending timers)").toBe(0);
  }
  for (const seed of SEEDS) {
    // Dropped before either child finished, and (children swapped) while only a is still running.
    for (const slowerFirst of [false, true]) {
      const s = scenario(seed, slowerFirst);
      const spy = spyWaker('join');
      const j = join(s.a, s.b);
      pollWith(j, spy);
      if (slowerFirst) s.reactor.advance(s.db); // b is done, a still runs
      if (slowerFirst) pollWith(j, spy);
      j.drop?.();
      expect(
        [s.a.drops > 0, slowerFirst ? s.b.drops === 0 || s.b.done : s.b.drops > 0],
        slowerFirst
          ? `dropped at t=${s.db}, when b had finished and a was still running: a must be dropped`
          : 'dropped before either child finished: both children must be dropped',
      ).toEqual([true, true]);
      expect(s.reactor.pendingTimers, 'no timer may be left once the join is dropped').toBe(0);
    }
  }
});

test('is built from polls', () => {
  const f = banned(
    new URL('./join.ts', import.meta.url),
    ['async', 'await', 'Promise', ...LIB],
    "join is built from poll calls here, by you: Promise.all belongs to the JavaScript side, and the course library's join is the answer, not a building block",
  );
  expect(f, f.join('\n')).toEqual([]);
  expect(join === libJoin, "join is the course library's join (../_lib/combinators): write your own").toBe(false);
});
