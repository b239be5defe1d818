// busy_and_stale_waker: two ways a future "works" while being wrong.
//
// The chapter: "…if you implement the Future trait incorrectly. Such errors
// can silently pass both the compiler and sometimes even unit tests."
//
// `Ticker` is a stream of ticks: tick 1 is due `period` ms after the ticker
// was made, tick 2 at 2 × period, and so on (a fixed schedule; a late tick is
// yielded as soon as the ticker is polled). Its first check passes: it polls
// in a loop and moves the clock 1 ms per poll, and every tick comes out on
// time. Under a real executor it is wrong twice over:
//   - busy: on Pending it calls `cx.waker.wake()`, which means "poll me
//     again right away". The executor does, forever, and the clock (which
//     only moves when the executor goes idle) never reaches the tick: a busy
//     loop that burns the CPU;
//   - stale: it keeps the waker of the FIRST poll and registers a new timer
//     with it on every poll. When the stream is moved to another task (a
//     `select` does that), the old task is woken and the new one sleeps.
//     The book: "we have to update the Waker every time the future is
//     polled".
//
// Task: let the reactor wake you.
//   - on Pending, hold exactly one timer registration for the next tick,
//     carrying the waker of the latest poll: register it once, and re-register
//     (passing the old id as `replace`) only when `cx.waker` would wake a
//     different task than the stored one (`stored.willWakeSame(cx.waker)`);
//     clone the waker only then, too;
//   - never wake yourself;
//   - a tick returned Ready leaves no registration behind (the clock can pass
//     a deadline before the timer fires), and `drop()` cancels the timer;
//   - the schedule is fixed: tick k is due at start + k × period, however
//     late the ticker is polled.
//
// TODO: register with the reactor instead of waking yourself.
// TODO: keep one registration, with the latest waker (willWakeSame).
// TODO: cancel the timer on Ready and in drop().
//
// Rust equivalent: `cx.waker().wake_by_ref(); Poll::Pending` is right for
// yielding once (`tokio::task::yield_now`) but a busy loop as a way to wait.
// `Waker::will_wake` tells whether the stored waker is still the right one;
// `tokio::time::Interval` keeps one timer entry and updates its waker.

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

  constructor(reactor: TimerReactor, period: number) {
    this.reactor = reactor;
    this.period = period;
    this.start = reactor.now;
  }

  /** The next tick's number (1, 2, 3, …) once it is due. A ticker never ends. */
  pollNext(cx: Context): Poll<number> {
    const due = this.start + this.next * this.period;
    if (this.reactor.now >= due) return Ready(this.next++);
    if (this.waker === undefined) this.waker = cx.waker.clone();
    this.reactor.registerTimer(due, this.waker);
    cx.waker.wake(); // "in case the timer is late"
    return Pending;
  }
}
