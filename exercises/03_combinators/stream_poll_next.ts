// stream_poll_next: a future that can be ready many times.
//
// A Stream is polled with `pollNext(cx)` and answers one of:
//   - Ready(item)  here is the next item;
//   - Ready(END)   there are no more items (Rust: `Poll::Ready(None)`);
//   - Pending      not yet; I have arranged for cx.waker to be woken.
// Once a stream has said END it keeps saying END if it is polled again
// (Rust calls such a stream "fused").
//
// Write three small pieces and plug them together:
//
//     collect(take(interval(reactor, 10), 3))  ──▶  [1, 2, 3] at t=30
//
//   - `interval(reactor, ms)`: yields 1, 2, 3, … The n-th item is ready at
//     (creation time + n × ms), whenever it is polled from then on. While an
//     item is not due, register ONE timer for its deadline with
//     `reactor.registerTimer(deadline, cx.waker.clone(), id)` (pass the
//     previous id to replace the registration instead of adding one) and
//     return Pending: every Pending poll registers the waker of *that* poll,
//     since another task may be polling now. Never wake yourself. Handing
//     out an item cancels its timer if it has not fired yet; `drop()`
//     cancels the timer.
//   - `take(stream, n)`: yields the first n items of `stream`, then END. As
//     soon as it has its n items, it drops the inner stream (no timer stays
//     registered) and never polls it again. If the inner stream ends first,
//     take ends too. Fused: END forever after. `drop()` drops the inner
//     stream if take still owns it (cancelling collect cancels it all).
//   - `collect(stream)`: a Future of all the items in an array. Each poll
//     pulls items until the stream says Pending (return Pending) or END
//     (return Ready(items)).
//
// TODO: write `interval`, `take` and `collect`.
//
// Rust equivalent: `Stream::poll_next(cx) -> Poll<Option<Item>>`, tokio's interval as a stream (`IntervalStream`),
// and `StreamExt::{take, collect}` from the futures crate.

import { type Context, type Future, type Poll, type Stream, type Waker, END } from '../_lib/future';

/**
 * The part of the course's reactor that `interval` needs (the checks pass a VirtualReactor).
 * Time is virtual: `now` moves only when the check moves it.
 */
export interface TimerReactor {
  /** The current virtual time in ms. */
  readonly now: number;
  /**
   * Wakes `waker` once `now >= deadline`; returns the timer's id. Passing an earlier id as
   * `replace` updates that registration instead of adding a second one.
   */
  registerTimer(deadline: number, waker: Waker, replace?: number): number;
  /** Removes a timer that has not fired yet. */
  cancelTimer(id: number): boolean;
}

export function interval(reactor: TimerReactor, ms: number): Stream<number> {
  void reactor;
  void ms;
  return {
    pollNext(cx: Context): Poll<number | typeof END> {
      void cx;
      throw new Error('TODO: write interval');
    },
  };
}

export function take<T>(stream: Stream<T>, n: number): Stream<T> {
  void stream;
  void n;
  return {
    pollNext(cx: Context): Poll<T | typeof END> {
      void cx;
      throw new Error('TODO: write take');
    },
  };
}

export function collect<T>(stream: Stream<T>): Future<T[]> {
  void stream;
  return {
    poll(cx: Context): Poll<T[]> {
      void cx;
      throw new Error('TODO: write collect');
    },
  };
}
