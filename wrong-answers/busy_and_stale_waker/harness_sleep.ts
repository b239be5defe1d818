// @rejects waits only through the reactor
// Mistake: (gaming) borrows the course's trusted timer leaf from the checks' harness instead of writing the registration.
import { type Context, type Poll, type Stream, Pending, Ready, type Waker } from '../_lib/future';
import { VirtualReactor, sleepUntil, type Sleep } from 'async-lessons/harness';

export interface TimerReactor {
  readonly now: number;
  registerTimer(deadline: number, waker: Waker, replace?: number): number;
  cancelTimer(id: number): boolean;
}

export class Ticker implements Stream<number> {
  private readonly reactor: TimerReactor;
  private readonly period: number;
  private readonly start: number;
  private next = 1;
  private sleep: Sleep | undefined;

  constructor(reactor: TimerReactor, period: number) {
    this.reactor = reactor;
    this.period = period;
    this.start = reactor.now;
  }

  pollNext(cx: Context): Poll<number> {
    const due = this.start + this.next * this.period;
    if (!(this.reactor instanceof VirtualReactor)) return Pending;
    this.sleep ??= sleepUntil(this.reactor, due);
    if (!this.sleep.poll(cx).ready) return Pending;
    this.sleep = undefined;
    return Ready(this.next++);
  }

  drop(): void {
    this.sleep?.drop();
    this.sleep = undefined;
  }
}
