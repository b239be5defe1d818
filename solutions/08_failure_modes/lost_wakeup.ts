// lost_wakeup, solved: every waiting receiver has an entry that holds its latest waker.
//
// Rust equivalent: the waiter list of `tokio::sync::Notify` (notify_one wakes one waiter,
// notify_waiters wakes all), with each waiter removed when its future completes or is dropped.

import { END, type Future, type Waker, Pending, Ready } from '../_lib/future';

/** One waiting receiver: the waker of the task that polled it last; `woken`: send took it off the list. */
interface Waiter {
  waker: Waker;
  woken: boolean;
}

export class Channel<T> {
  private readonly queue: T[] = [];
  private readonly waiters: Waiter[] = [];
  private closed = false;

  send(value: T): void {
    if (this.closed) throw new Error('send on a closed channel');
    this.queue.push(value);
    // One value can satisfy one receiver: waking more would only make them poll and wait again.
    this.wakeOne();
  }

  private wakeOne(): void {
    const next = this.waiters.shift();
    if (next === undefined) return;
    next.woken = true;
    next.waker.wake();
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
    // Cancelled after send woke it for a value it never took: that wake belongs to the next waiter.
    const drop = (): void => {
      const passOn = waiter?.woken === true && this.queue.length > 0;
      leave();
      if (passOn) this.wakeOne();
    };
    return {
      poll: (cx) => {
        if (this.queue.length > 0) {
          leave();
          return Ready(this.queue.shift() as T);
        }
        if (this.closed) {
          leave();
          return Ready(END);
        }
        if (waiter === undefined) waiter = { waker: cx.waker.clone(), woken: false };
        else if (!waiter.waker.willWakeSame(cx.waker)) waiter.waker = cx.waker.clone();
        waiter.woken = false;
        // Woken entries were taken off the list by send; such a receiver queues up again.
        if (!this.waiters.includes(waiter)) this.waiters.push(waiter);
        return Pending;
      },
      drop,
    };
  }
}
