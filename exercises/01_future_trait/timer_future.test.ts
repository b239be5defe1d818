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
