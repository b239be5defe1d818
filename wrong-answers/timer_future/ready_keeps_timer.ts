// @rejects Ready leaves no timer behind
// Mistake: assumes the reactor has always fired the timer by the time the future is Ready, so a timer that is due but not yet fired (a busy thread, a poll from another wake) stays registered and will wake a task that is not waiting any more.
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
  /** Our registration with the reactor, while we have one. */
  timerId: number | undefined;

  constructor(reactor: TimerReactor, ms: number) {
    this.reactor = reactor;
    this.deadline = reactor.now + ms;
  }

  poll(cx: Context): Poll<void> {
    // Due: the reactor has fired the timer, so there is nothing to clean up.
    if (this.reactor.now >= this.deadline) return Ready(undefined);
    // Not due: before saying Pending, make sure somebody will wake the task
    // that polled us. The waker in cx is only lent for this poll, so the
    // reactor gets a clone. Passing our old id replaces the old registration
    // (and its possibly outdated waker) instead of adding a second one.
    // Rust's TimerFuture does the same with `shared.waker = Some(cx.waker().clone())`.
    this.timerId = this.reactor.registerTimer(this.deadline, cx.waker.clone(), this.timerId);
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
