import { expect, test } from 'vitest';
import { banned, counted, pollWith, seeded, sleep, spyWaker, SEEDS, TestExecutor, VirtualReactor, type Sleep } from 'async-lessons/harness';
import { Pending, Ready, ready, type Context, type Future, type Poll } from '../_lib/future';
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
  const spy = spyWaker('join');
  const p = pollWith(join(ready(undefined), ready(null)), spy);
  expect(p, 'a child whose output is undefined still fills its slot').toEqual(Ready([undefined, null]));
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
});

test('is built from polls', () => {
  const f = banned(
    new URL('./join.ts', import.meta.url),
    ['async', 'await', 'Promise'],
    'join is built from poll calls here; Promise.all belongs to the JavaScript side',
  );
  expect(f, f.join('\n')).toEqual([]);
});
