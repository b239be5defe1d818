import { expect, test } from 'vitest';
import { SEEDS, SpinDetected, TestExecutor, VirtualReactor, banned, counted, seeded, sleep, type Counted } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';
import { Executor } from './run_queue_executor';

/** Ready `ms` virtual ms after it was created (the trusted sleep underneath). */
function after(reactor: VirtualReactor, ms: number): Future<string> {
  const s = sleep(reactor, ms);
  return {
    poll: (cx: Context): Poll<string> => (s.poll(cx).ready ? Ready('slept') : Pending),
    drop: () => s.drop(),
  };
}

/** Sleeps `first` ms, then creates a second sleep of `second` ms and waits for that. */
function twoSleeps(reactor: VirtualReactor, first: number, second: number): Future<string> {
  let current = after(reactor, first);
  let stage = 1;
  return {
    poll(cx) {
      for (;;) {
        if (!current.poll(cx).ready) return Pending;
        if (stage === 2) return Ready('slept twice');
        stage = 2;
        current = after(reactor, second);
      }
    },
  };
}

/** Pending once after waking itself (a yield), then Ready. */
function yieldOnce(): Future<string> {
  let yielded = false;
  return {
    poll(cx) {
      if (yielded) return Ready('yielded');
      yielded = true;
      cx.waker.wake();
      return Pending;
    },
  };
}

/** A future the test wakes by hand: it keeps the latest waker and finishes on its `readyOnPoll`-th poll. */
function parked(readyOnPoll: number): Future<string> & { waker: Waker | undefined; polls: number } {
  const f = {
    waker: undefined as Waker | undefined,
    polls: 0,
    poll(cx: Context): Poll<string> {
      f.polls += 1;
      f.waker = cx.waker.clone();
      return f.polls >= readyOnPoll ? Ready('done') : Pending;
    },
  };
  return f;
}

/** Runs, turning a SpinDetected into an explanation. */
function run(ex: Executor): void {
  try {
    ex.run();
  } catch (error) {
    if (error instanceof SpinDetected) {
      throw new Error(
        'run() polled a task that nobody had woken. Poll a task only when it comes off the run queue, and ' +
          `put it on the queue only from its waker (and from spawn).\n${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}

test('runs the scripted three tasks in FIFO wake order', () => {
  const reactor = new VirtualReactor();
  const ex = new Executor(reactor);
  ex.spawn('A', after(reactor, 20)); // wakes at t=20
  ex.spawn('B', yieldOnce()); // wakes itself during its first poll
  ex.spawn('C', twoSleeps(reactor, 10, 10)); // wakes at t=10, then at t=20 (after A's timer)
  run(ex);
  expect(
    ex.trace,
    'expected A, B, C (spawn order), then B (it woke itself, so it was queued behind C), then C (its ' +
      'timer fired at t=10), then A and C (both timers fire at t=20, A registered first). Each poll ' +
      'should come from the run queue, in the order the wakes happened.',
  ).toEqual(['A', 'B', 'C', 'B', 'C', 'A', 'C']);
  expect(reactor.now, 'the last timer fires at t=20').toBe(20);
});

test('polls in the order the wakes happened', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    // Tasks woken by hand, in an order that is not the spawn order.
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const n = rng.int(3, 8);
    const names = Array.from({ length: n }, (_, i) => `P${i}`);
    const futs = names.map(() => parked(2));
    names.forEach((name, i) => ex.spawn(name, futs[i] ?? parked(2)));
    run(ex);
    let order = rng.shuffle(names.map((_, i) => i));
    if (order.every((v, i) => v === i)) order = order.reverse();
    for (const i of order) futs[i]?.waker?.wake();
    run(ex);
    expect(
      ex.trace.slice(n),
      `the tasks were woken in the order ${order.map((i) => names[i]).join(', ')}; a FIFO run queue polls them in ` +
        'that order, whatever order they were spawned in. Push a task when it is woken, and pop from the front ' +
        `(seed ${seed})`,
    ).toEqual(order.map((i) => names[i]));

    // Timers: each task sleeps twice with seeded durations, so the wakes interleave. The harness's
    // TestExecutor (a FIFO run queue with the same rules) gives the order to expect.
    const plan = Array.from({ length: rng.int(3, 6) }, (_, i) => ({ name: `T${i}`, first: rng.int(1, 40), second: rng.int(1, 40) }));
    const refReactor = new VirtualReactor();
    const ref = new TestExecutor({ reactor: refReactor });
    for (const t of plan) ref.spawn(t.name, twoSleeps(refReactor, t.first, t.second));
    ref.run();
    const r2 = new VirtualReactor();
    const ex2 = new Executor(r2);
    for (const t of plan) ex2.spawn(t.name, twoSleeps(r2, t.first, t.second));
    run(ex2);
    expect(
      ex2.trace,
      `tasks ${plan.map((t) => `${t.name} sleeps ${t.first} then ${t.second} ms`).join('; ')}: each poll should come ` +
        `off the run queue in the order the wakes happened (seed ${seed})`,
    ).toEqual(ref.trace);
  }
});

test('a task woken twice is queued once', () => {
  const reactor = new VirtualReactor();
  const ex = new Executor(reactor);
  const fut = parked(2);
  ex.spawn('parked', fut);
  expect(ex.queueLength, 'spawn should put the new task on the run queue').toBe(1);
  run(ex);
  expect(ex.queueLength, 'after run() the queue should be empty').toBe(0);
  expect(fut.waker, 'the task should have been polled once, with a waker in its Context').toBeDefined();
  fut.waker?.wake();
  fut.waker?.wake();
  expect(
    ex.queueLength,
    'two wakes before the next poll should queue the task once: wake means "push this task unless it is ' +
      'already queued"',
  ).toBe(1);
  run(ex);
  expect(ex.trace, 'the task should be polled once for the two wakes').toEqual(['parked', 'parked']);
  expect(fut.polls, 'the future should have been polled exactly twice').toBe(2);
});

test('a wake after completion is ignored', () => {
  const reactor = new VirtualReactor();
  const ex = new Executor(reactor);
  const fut = parked(1);
  ex.spawn('oneshot', fut);
  run(ex);
  expect(ex.trace, 'the task finishes on its first poll').toEqual(['oneshot']);
  fut.waker?.wake();
  expect(ex.queueLength, 'a finished task must not go back on the queue when its old waker is woken').toBe(0);
  run(ex);
  expect(ex.trace, 'a finished task must never be polled again').toEqual(['oneshot']);
  expect(fut.polls, 'the finished future was polled after it returned Ready').toBe(1);
});

test('liveTasks counts only unfinished tasks', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const quick = rng.int(2, 6);
    const stuck = rng.int(1, 4);
    for (let i = 0; i < quick; i++) ex.spawn(`quick${i}`, after(reactor, rng.int(1, 50)));
    const parkedOnes = Array.from({ length: stuck }, () => parked(2));
    parkedOnes.forEach((f, i) => ex.spawn(`parked${i}`, f));
    expect(ex.liveTasks, `${quick + stuck} tasks were spawned and none has finished (seed ${seed})`).toBe(quick + stuck);
    run(ex);
    expect(
      ex.liveTasks,
      `after run() the ${quick} sleeping tasks have finished and ${stuck} still ${stuck === 1 ? 'waits' : 'wait'} for a wake ` +
        `(seed ${seed}); a finished task should be let go`,
    ).toBe(stuck);
    for (const f of parkedOnes) f.waker?.wake();
    run(ex);
    expect(ex.liveTasks, `every task has finished, so none is live (seed ${seed})`).toBe(0);
  }
});

test('1000 sleeping tasks take exactly 2000 polls', () => {
  for (const seed of SEEDS.slice(0, 2)) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const futs: Array<Counted<string>> = [];
    for (let i = 0; i < 1000; i++) {
      const fut = counted(after(reactor, rng.int(1, 500)), { name: `sleeper${i}`, maxPolls: 5 });
      futs.push(fut);
      ex.spawn(`sleeper${i}`, fut);
    }
    run(ex);
    const total = futs.reduce((n, f) => n + f.polls, 0);
    expect(futs.every((f) => f.done), `every sleeper should have finished (seed ${seed})`).toBe(true);
    expect(
      total,
      `each sleeping task needs 2 polls (one to start, one when its timer fires), so 2000 in all; polling ` +
        `every task each round costs far more (seed ${seed})`,
    ).toBe(2000);
    expect(ex.trace.length, 'trace should list each of the 2000 polls').toBe(2000);
  }
});

test('builds the queue by hand', () => {
  const found = banned(
    new URL('./run_queue_executor.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'the executor is built here from a run queue and wakers, without the reference runtime or JavaScript timers and promises',
  );
  expect(found, found.join('\n')).toEqual([]);
});
