// @rejects many timers each wake their own task at their own deadline
// Mistake: remembers the last registered waker in a module-level variable to skip re-registering, so a second timer polled by the same task (two timers in one join) sees that waker, registers nothing, and is never woken.
// Rust equivalent: the Async Book's `TimerFuture`, whose poll stores
// `cx.waker().clone()` in shared state for the timer thread to wake.

import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';

/** The part of a reactor a timer needs. */
export interface TimerReactor {
  readonly now: number;
  registerTimer(deadline: number, waker: Waker, replace?: number): number;
  cancelTimer(id: number): boolean;
}

// The waker we registered last, so a poll from the same task can skip the
// reactor call.
let lastWaker: Waker | undefined;

export class TimerFuture implements Future<void> {
  readonly reactor: TimerReactor;
  /** The virtual time at which the timer is due, fixed when it is made. */
  readonly deadline: number;
  /** Our registration with the reactor, while we have one. */
  timerId: number | undefined;

  constructor(reactor: TimerReactor, ms: number) {
    this.reactor = reactor;
    this.deadline = reactor.now + ms;
  }

  poll(cx: Context): Poll<void> {
    if (this.reactor.now >= this.deadline) {
      // Due. If we got here through some other wake, the timer may still be
      // registered; it has nothing left to do.
      this.#cancel();
      return Ready(undefined);
    }
    // Not due: before saying Pending, make sure somebody will wake the task
    // that polled us. The waker in cx is only lent for this poll, so the
    // reactor gets a clone. Passing our old id replaces the old registration
    // (and its possibly outdated waker) instead of adding a second one.
    // Rust's TimerFuture does the same with `shared.waker = Some(cx.waker().clone())`.
    // Polled again by the task we registered for: the registration stands.
    if (lastWaker !== undefined && lastWaker.willWakeSame(cx.waker)) return Pending;
    lastWaker = cx.waker.clone();
    this.timerId = this.reactor.registerTimer(this.deadline, lastWaker, this.timerId);
    return Pending;
  }

  drop(): void {
    this.#cancel();
  }

  #cancel(): void {
    if (this.timerId !== undefined) this.reactor.cancelTimer(this.timerId);
    this.timerId = undefined;
  }
}

/** A future that is ready `ms` milliseconds from now on `reactor`'s clock. */
export function timer(reactor: TimerReactor, ms: number): TimerFuture {
  return new TimerFuture(reactor, ms);
}
