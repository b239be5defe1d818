// ready_and_pending: the three smallest futures.
//
// Goal: a future is nothing more than an object with a `poll(cx)` method.
// Write the three simplest ones, which Rust's standard library also ships:
//
//   ready(v)   Ready(v) on the first poll. A finished future must not be
//              polled again, so a second poll throws an Error whose message
//              contains "polled after completion".
//   pending()  never finishes: every poll returns Pending. It never wakes
//              anybody, and keeps no waker either (nothing will ever change,
//              so a kept waker would only hold on to the task).
//   pollFn(f)  a future made from a function: each poll calls f(cx) exactly
//              once, with the very same `cx` it was given, and returns what
//              f returned.
//
// Write them here, with the types from the course library; do not re-export
// the library's own `ready`, `pending` or `pollFn`.
//
// TODO: fix ready(): it answers Pending on its first poll.
// TODO: write pending() and pollFn().
//
// Rust equivalent: `std::future::{ready, pending, poll_fn}`; polling a
// finished `Ready` panics with "`Ready` polled after completion".

import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';

export function ready<T>(value: T): Future<T> {
  let polled = false;
  return {
    poll(): Poll<T> {
      if (!polled) {
        polled = true;
        return Pending;
      }
      return Ready(value);
    },
  };
}

export function pending<T = never>(): Future<T> {
  throw new Error('TODO: pending() is not written yet');
}

export function pollFn<T>(fn: (cx: Context) => Poll<T>): Future<T> {
  throw new Error(`TODO: pollFn(${fn.name || 'fn'}) is not written yet`);
}
