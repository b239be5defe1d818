// @rejects pending keeps no waker
// Mistake: applies the timer rule ("clone the waker before returning Pending") to pending(), which nothing will ever wake: it keeps a clone of every caller's waker for ever, holding on to tasks that can never finish.
// Rust equivalent: `std::future::{ready, pending, poll_fn}`; polling a
// finished `Ready` panics with "`Ready` polled after completion".

import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';

/**
 * Ready with `value` on the first poll. The flag is the whole state machine:
 * "not yet polled" -> "done". Rust's `Ready<T>` holds an `Option<T>` and
 * `take()`s it, so a second poll finds `None` and panics.
 */
export function ready<T>(value: T): Future<T> {
  let done = false;
  return {
    poll(): Poll<T> {
      if (done) throw new Error('`ready` polled after completion');
      done = true;
      return Ready(value);
    },
  };
}

/**
 * Never ready. A future that returns Pending must arrange a wake, so it keeps
 * the waker of whoever polled it last.
 */
export function pending<T = never>(): Future<T> {
  let waker: Waker | undefined;
  return {
    poll(cx: Context): Poll<T> {
      waker = cx.waker.clone();
      void waker;
      return Pending;
    },
  };
}

/**
 * A future whose poll is `fn`. The Context goes through untouched: `fn` may
 * need the caller's waker, and only the caller's own `cx` carries it.
 */
export function pollFn<T>(fn: (cx: Context) => Poll<T>): Future<T> {
  return {
    poll(cx: Context): Poll<T> {
      return fn(cx);
    },
  };
}
