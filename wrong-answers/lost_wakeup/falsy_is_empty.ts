// @rejects receive first, then send: the waiting receiver is woken
// Mistake: takes a falsy value (0, an empty string, undefined) for "nothing queued".
// lost_wakeup: a wrong answer, made from an earlier reference solution (the lines above say what is wrong).
//
// Rust equivalent: the waiter list of `tokio::sync::Notify` (notify_one wakes one waiter,
// notify_waiters wakes all), with each waiter removed when its future completes or is dropped.

import { END, type Future, type Waker, Pending, Ready } from '../_lib/future';

/** One waiting receiver: the waker of the task that polled it last. */
interface Waiter {
  waker: Waker;
}

export class Channel<T> {
  private readonly queue: T[] = [];
  private readonly waiters: Waiter[] = [];
  private closed = false;

  send(value: T): void {
    if (this.closed) throw new Error('send on a closed channel');
    this.queue.push(value);
    // One value can satisfy one receiver: waking more would only make them poll and wait again.
    this.waiters.shift()?.waker.wake();
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.waker.wake();
  }

  /** A future of the next value, or END once the channel is closed and empty. */
  recv(): Future<T | typeof END> {
    let waiter: Waiter | undefined;
    const leave = (): void => {
      const i = waiter === undefined ? -1 : this.waiters.indexOf(waiter);
      if (i >= 0) this.waiters.splice(i, 1);
      waiter = undefined;
    };
    return {
      poll: (cx) => {
        const value = this.queue.shift();
        if (value) {
          leave();
          return Ready(value);
        }
        if (this.closed) {
          leave();
          return Ready(END);
        }
        if (waiter === undefined) waiter = { waker: cx.waker.clone() };
        else if (!waiter.waker.willWakeSame(cx.waker)) waiter.waker = cx.waker.clone();
        // Woken entries were taken off the list by send; such a receiver queues up again.
        if (!this.waiters.includes(waiter)) this.waiters.push(waiter);
        return Pending;
      },
      drop: leave,
    };
  }
}
