// @rejects polled again by the same task, it clones and registers nothing new
// Mistake: re-registers (with replace) on every poll: one registration, but a reactor call each time a task polls it again.
// busy_and_stale_waker, solved: one timer registration per tick, always with the latest waker.
//
// Rust equivalent: `tokio::time::Interval::poll_tick`, which resets one timer entry and updates its
// waker only when `!stored.will_wake(cx.waker())`.

import { type Context, type Poll, type Stream, type Waker, Pending, Ready } from '../_lib/future';

/** The timer half of a reactor. The checks pass a `VirtualReactor`. */
export interface TimerReactor {
  /** The current (virtual) time in ms. */
  readonly now: number;
  /**
   * Asks for `waker` to be woken once `now >= deadline`; returns the timer's id. Pass an earlier id
   * as `replace` to update that registration (new deadline and waker) instead of adding another.
   */
  registerTimer(deadline: number, waker: Waker, replace?: number): number;
  /** Removes a pending timer; false when it already fired or was cancelled. */
  cancelTimer(id: number): boolean;
}

export class Ticker implements Stream<number> {
  private readonly reactor: TimerReactor;
  private readonly period: number;
  private readonly start: number;
  private next = 1;
  private waker: Waker | undefined;
  private timer: number | undefined; // the registration for tick `next`, while one is pending

  constructor(reactor: TimerReactor, period: number) {
    this.reactor = reactor;
    this.period = period;
    this.start = reactor.now;
  }

  /** The next tick's number (1, 2, 3, …) once it is due. A ticker never ends. */
  pollNext(cx: Context): Poll<number> {
    const due = this.start + this.next * this.period;
    if (this.reactor.now >= due) {
      this.cancel(); // the clock may have passed the deadline before the timer fired
      return Ready(this.next++);
    }
    // No timer yet (waker and timer are set and cleared together), or another task polls: (re)register.
    if (this.waker === undefined || !this.waker.willWakeSame(cx.waker)) this.waker = cx.waker.clone();
    this.timer = this.reactor.registerTimer(due, this.waker, this.timer);
    return Pending;
  }

  /** Cancels the pending timer. Idempotent. */
  drop(): void {
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== undefined) this.reactor.cancelTimer(this.timer);
    this.timer = undefined;
    this.waker = undefined;
  }
}
