// timer_future: Pending is a promise to wake.
//
// Goal: a future that becomes ready `ms` milliseconds after it was made,
// on a reactor's clock. Returning Pending is only half of the job: the
// future must also arrange for the polling task to be woken when polling
// again can succeed. Otherwise the executor, which polls only woken tasks,
// never comes back, and the task sleeps forever.
//
// The reactor (the checks pass a VirtualReactor) keeps timers for you:
//   reactor.registerTimer(deadline, waker)       -> a timer id
//   reactor.registerTimer(deadline, waker, id)   replaces timer `id`
//   reactor.cancelTimer(id)                      removes it
// When the clock reaches `deadline`, the reactor calls `waker.wake()` once
// and forgets the timer.
//
// Rules for TimerFuture:
//   - Ready once `reactor.now >= deadline`;
//   - on a Pending poll, the reactor holds exactly one timer for this
//     future, carrying a clone of the waker from *this* poll (a later poll
//     may come from another task; the waker in `cx` is only lent to you);
//   - the deadline is fixed when the timer is made, whichever task polls it
//     later and whenever (as with tokio's `sleep`);
//   - never wake yourself from inside poll: that is a busy loop;
//   - once it returns Ready, nothing of it is left with the reactor (the
//     clock can pass the deadline before the reactor fires the timer);
//   - `drop()` cancels the timer; calling it twice is fine;
//   - keep everything on the future itself: many timers run at once.
//
// TODO: on a Pending poll, register `cx.waker.clone()` for the deadline,
//       replacing your earlier registration if you have one.
// TODO: make drop() cancel the registration.
//
// Rust equivalent: the Async Book's `TimerFuture`, whose poll stores
// `cx.waker().clone()` in shared state for the timer thread to wake.

import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';

/** The part of a reactor a timer needs. */
export interface TimerReactor {
  readonly now: number;
  registerTimer(deadline: number, waker: Waker, replace?: number): number;
  cancelTimer(id: number): boolean;
}

export class TimerFuture implements Future<void> {
  readonly reactor: TimerReactor;
  /** The virtual time at which the timer is due, fixed when it is made. */
  readonly deadline: number;

  constructor(reactor: TimerReactor, ms: number) {
    this.reactor = reactor;
    this.deadline = reactor.now + ms;
  }

  poll(cx: Context): Poll<void> {
    if (this.reactor.now >= this.deadline) return Ready(undefined);
    // Not due yet. Nobody has been told to wake us...
    return Pending;
  }

  drop(): void {}
}

/** A future that is ready `ms` milliseconds from now on `reactor`'s clock. */
export function timer(reactor: TimerReactor, ms: number): TimerFuture {
  return new TimerFuture(reactor, ms);
}
