// @rejects wakes the latest waker at the original deadline
// Mistake: when another task polls, registers the new waker for `now + ms` instead of the deadline fixed at creation, so the timer restarts and fires late (a tokio Sleep keeps its deadline whoever polls it).
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
  /** How long the timer runs. */
  readonly ms: number;
  /** Our registration with the reactor, while we have one, and the waker it holds. */
  timerId: number | undefined;
  waker: Waker | undefined;

  constructor(reactor: TimerReactor, ms: number) {
    this.reactor = reactor;
    this.ms = ms;
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
    // Same task as last time: the registration we have is fine. A new task
    // gets its own timer, started now.
    if (this.timerId === undefined || this.waker === undefined || !this.waker.willWakeSame(cx.waker)) {
      this.waker = cx.waker.clone();
      this.timerId = this.reactor.registerTimer(this.reactor.now + this.ms, this.waker, this.timerId);
    }
    return Pending;
  }

  drop(): void {
    this.#cancel();
  }

  #cancel(): void {
    if (this.timerId !== undefined) this.reactor.cancelTimer(this.timerId);
    this.timerId = undefined;
    this.waker = undefined;
  }
}

/** A future that is ready `ms` milliseconds from now on `reactor`'s clock. */
export function timer(reactor: TimerReactor, ms: number): TimerFuture {
  return new TimerFuture(reactor, ms);
}
