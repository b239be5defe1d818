import { expect, test } from 'vitest';
import { counted, pollWith, seeded, SEEDS, SpinDetected, spyWaker, TestExecutor, VirtualReactor } from 'async-lessons/harness';
import { timer } from './timer_future';

/** A timer length drawn from the seed. */
const msFor = (seed: number): number => seeded(seed).int(20, 500);

test('registers the waker when Pending', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const reactor = new VirtualReactor();
    const fut = timer(reactor, ms);
    const spy = spyWaker('task');
    const p = pollWith(fut, spy);
    expect(p.ready, `timer(reactor, ${ms}) should be Pending at t=0 (seed ${seed})`).toBe(false);
    const regs = reactor.registrations();
    expect(
      regs.length,
      'right after returning Pending, the reactor should hold exactly one timer for this future. ' +
        'With none, nothing will ever wake the task: the executor never polls it again and it sleeps forever.',
    ).toBe(1);
    const [reg] = regs;
    expect(reg?.kind === 'timer' && reg.deadline, `the timer should be due at the future's deadline, t=${ms}`).toBe(ms);
    expect(
      reg?.waker.willWakeSame(spy.waker),
      'the registered waker should wake the task that polled, i.e. come from cx.waker',
    ).toBe(true);
    expect(
      reg?.waker !== spy.waker && spy.clones >= 1,
      'register cx.waker.clone(), not cx.waker itself: the waker in the Context is only lent to you ' +
        'for the duration of poll (in Rust you could not even keep it), and a clone is yours to keep',
    ).toBe(true);
  }
});

test('never wakes itself', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const reactor = new VirtualReactor();
    const fut = timer(reactor, ms);
    const spy = spyWaker('task');
    for (let i = 0; i < 3; i++) pollWith(fut, spy);
    expect(
      spy.wokeDuringPoll,
      'poll should not call wake() itself: waking and then returning Pending makes the executor ' +
        'poll again at once, over and over, burning the CPU until the deadline. Let the reactor wake you.',
    ).toBe(0);
    expect(spy.wakes, 'nothing should wake the task before the deadline').toBe(0);
    reactor.advance(ms);
    expect(spy.wakes, `the reactor should wake the task once when the clock reaches t=${ms} (seed ${seed})`).toBe(1);
  }
});

test('ready exactly at the deadline', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const reactor = new VirtualReactor();
    const fut = timer(reactor, ms);
    const spy = spyWaker('task');
    pollWith(fut, spy);
    reactor.advance(ms - 1);
    expect(spy.wakes, `at t=${ms - 1} the timer is not due yet, so nothing should wake the task`).toBe(0);
    expect(pollWith(fut, spy).ready, `a poll at t=${ms - 1}, 1 ms early, should be Pending (seed ${seed})`).toBe(false);
    reactor.advance(1);
    expect(spy.wakes, `at t=${ms} the reactor should wake the task`).toBe(1);
    expect(
      pollWith(fut, spy),
      `a poll at t=${ms}, exactly at the deadline, should be Ready(undefined) (seed ${seed})`,
    ).toEqual({ ready: true, value: undefined });
  }
});

test('polled exactly twice on an executor', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const reactor = new VirtualReactor();
    const ex = new TestExecutor({ reactor });
    const fut = counted(timer(reactor, ms), { name: 'timer', maxPolls: 20 });
    const handle = ex.spawn('timer', fut);
    const drive = (): void => {
      try {
        ex.runUntilStalled({ maxPolls: 50 });
      } catch (error) {
        if (error instanceof SpinDetected) expect.fail(error.message);
        throw error;
      }
    };
    drive();
    expect(handle.polls, 'the executor should poll the new timer once, then wait').toBe(1);
    expect(ex.stalled(), ex.explainStalled()).toEqual([]);
    reactor.advance(ms);
    drive();
    expect(handle.done, `the timer should finish once the reactor reaches t=${ms} and wakes it (seed ${seed})`).toBe(true);
    expect(handle.finishedAt, `it should finish at exactly t=${ms}`).toBe(ms);
    expect(
      handle.polls,
      'a timer should need exactly two polls: one that registers and returns Pending, and one after the wake',
    ).toBe(2);
    expect(fut.polls === fut.wakes + 1 && fut.unwokenPolls === 0, 'every poll after the first should follow a wake').toBe(true);
  }
});

test('one registration however often polled', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const reactor = new VirtualReactor();
    const fut = timer(reactor, ms);
    const spy = spyWaker('task');
    for (let i = 0; i < 5; i++) pollWith(fut, spy);
    expect(
      reactor.pendingTimers,
      `after 5 polls before the deadline the reactor should hold 1 timer for this future, not ` +
        `${reactor.pendingTimers}` +
        (reactor.pendingTimers > 1
          ? ': pass your earlier timer id to registerTimer to replace that registration, or every poll leaves one more timer behind'
          : ': each Pending poll must leave a timer registered, or nothing will wake the task') +
        ` (seed ${seed})`,
    ).toBe(1);
    reactor.advance(ms);
    expect(spy.wakes, 'the task should be woken once at the deadline, not once per poll').toBe(1);
  }
});

test('wakes the latest waker', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const reactor = new VirtualReactor();
    const fut = timer(reactor, ms);
    const first = spyWaker('first task');
    const second = spyWaker('second task');
    pollWith(fut, first);
    reactor.advance(Math.floor(ms / 2));
    pollWith(fut, second);
    expect(reactor.pendingTimers, 'there should still be exactly one timer for this future').toBe(1);
    reactor.advance(ms);
    expect(
      second.wakes,
      'the future was last polled by another task (it moved, as futures do in join or select), ' +
        'so that task is the one to wake: store the waker from the latest poll, not only the first',
    ).toBe(1);
    expect(first.wakes, 'the task that polled first no longer waits for this timer, so it should not be woken').toBe(0);
  }
});

test('drop cancels the timer', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const reactor = new VirtualReactor();
    const unpolled = timer(reactor, ms);
    expect(() => unpolled.drop(), 'drop() on a timer that was never polled should do nothing').not.toThrow();

    const fut = timer(reactor, ms);
    const spy = spyWaker('task');
    pollWith(fut, spy);
    fut.drop();
    expect(
      reactor.pendingTimers,
      'after drop() the reactor should hold no timer for the future: a cancelled timer must not ' +
        'keep a waker alive or wake a task that stopped waiting',
    ).toBe(0);
    expect(() => fut.drop(), 'drop() should be safe to call twice').not.toThrow();
    reactor.advance(ms);
    expect(spy.wakes, `nothing should wake the task at t=${ms} after the timer was dropped (seed ${seed})`).toBe(0);
  }
});

test('ready at once when already due', () => {
  const reactor = new VirtualReactor();
  const zero = timer(reactor, 0);
  expect(pollWith(zero, spyWaker()).ready, 'timer(reactor, 0) is due at once: its first poll should be Ready').toBe(true);
  const late = timer(reactor, 30);
  reactor.advance(50);
  expect(pollWith(late, spyWaker()).ready, 'a timer first polled after its deadline should be Ready at once').toBe(true);
  expect(reactor.pendingTimers, 'a timer that is Ready at once has no reason to register anything').toBe(0);
});

test('Ready leaves no timer behind', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const reactor = new VirtualReactor();
    const fut = timer(reactor, ms);
    const spy = spyWaker('task');
    expect(pollWith(fut, spy).ready, `timer(reactor, ${ms}) should be Pending at t=0`).toBe(false);
    // The thread was busy until past the deadline: the clock moved on, the timer has not fired yet.
    reactor.cpu(ms + seeded(seed).int(0, 20));
    expect(pollWith(fut, spy).ready, `polled at t=${reactor.now}, after its deadline t=${ms}, the timer should be Ready`).toBe(true);
    expect(
      reactor.pendingTimers,
      'the timer returned Ready while its registration was still with the reactor (the clock passed the deadline ' +
        'before the reactor fired it: a busy thread, or a poll caused by some other wake). A future that is done ' +
        'must cancel what it registered, or the reactor will later wake a task that is no longer waiting ' +
        `(seed ${seed})`,
    ).toBe(0);
    reactor.advance(1);
    expect(spy.wakes, 'nothing should wake the task once its timer has returned Ready').toBe(0);
  }
});

test('wakes the latest waker at the original deadline', () => {
  for (const seed of SEEDS) {
    const ms = msFor(seed);
    const moved = seeded(seed).int(1, ms - 1);
    const reactor = new VirtualReactor();
    const fut = timer(reactor, ms);
    const first = spyWaker('first task');
    const second = spyWaker('second task');
    pollWith(fut, first);
    reactor.advance(moved);
    pollWith(fut, second);
    const deadlines = reactor.registrations().map((r) => (r.kind === 'timer' ? r.deadline : undefined));
    expect(
      deadlines,
      `made at t=0 for ${ms} ms and polled by another task at t=${moved}, the timer should still be due at t=${ms}: ` +
        'its deadline is fixed when it is made (as with tokio::time::sleep), whoever polls it later. Register the new ' +
        `waker for the same deadline instead of starting the timer again (seed ${seed})`,
    ).toEqual([ms]);
    reactor.advance(ms - moved - 1);
    expect(second.wakes, `at t=${ms - 1} the timer is not due yet`).toBe(0);
    reactor.advance(1);
    expect(second.wakes, `at t=${ms} the reactor should wake the task that polled last`).toBe(1);
    expect(first.wakes, 'the task that polled first should not be woken').toBe(0);
  }
});

test('many timers each wake their own task at their own deadline', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(3, 7);
    const durations = rng.distinct(n, 5, 400);
    const reactor = new VirtualReactor();
    // Two tasks share the timers, as two joins would: the first polls the first half, the second the rest.
    const tasks = [spyWaker('task A'), spyWaker('task B')];
    const owner = durations.map((_, i) => (i < Math.ceil(n / 2) ? 0 : 1));
    const timers = durations.map((ms) => timer(reactor, ms));
    timers.forEach((t, i) => {
      expect(pollWith(t, tasks[owner[i]!]!).ready, `timer ${i + 1} (${durations[i]} ms) should be Pending at t=0`).toBe(false);
    });
    expect(
      reactor.pendingTimers,
      `${n} timers were polled (some by the same task); each should hold its own registration (seed ${seed}). ` +
        'Keep the timer id and waker on each future, not in a variable shared by all of them.',
    ).toBe(n);
    const order = durations.map((ms, i) => ({ ms, i })).sort((a, b) => a.ms - b.ms);
    expect(order.map((o) => o.i), 'check setup: the timers should be due in another order than they were made').not.toEqual(
      durations.map((_, i) => i),
    );
    const expectedWakes = [0, 0];
    for (const { ms, i } of order) {
      reactor.advance(ms - reactor.now);
      expectedWakes[owner[i]!]! += 1;
      expect(
        tasks.map((t) => t.wakes),
        `at t=${ms} timer ${i + 1} is due: its task (${tasks[owner[i]!]!.name}) should have been woken, and no other ` +
          `(seed ${seed})`,
      ).toEqual(expectedWakes);
      expect(pollWith(timers[i]!, tasks[owner[i]!]!).ready, `timer ${i + 1} should be Ready at t=${ms}`).toBe(true);
    }
    expect(reactor.pendingTimers, 'once every timer is done, none should be left with the reactor').toBe(0);
  }
});
