// @rejects ready works for every value, falsy ones too
// Mistake: copies Rust's Option::take with `undefined` standing for None, so ready(undefined) looks "already taken" and throws on its first poll.
// Rust equivalent: `std::future::{ready, pending, poll_fn}`; polling a
// finished `Ready` panics with "`Ready` polled after completion".

import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';

/**
 * Ready with `value` on the first poll. Like Rust's `Ready<T>`, which holds an
 * `Option<T>` and `take()`s it, the value is taken out on the first poll;
 * finding nothing left means it was polled again.
 */
export function ready<T>(value: T): Future<T> {
  let slot: T | undefined = value;
  return {
    poll(): Poll<T> {
      if (slot === undefined) throw new Error('`ready` polled after completion');
      const v = slot;
      slot = undefined;
      return Ready(v);
    },
  };
}

/**
 * Never ready. It does not keep or wake the waker: nothing will ever change,
 * so there is nobody to wake. A task awaiting it sleeps forever, which is
 * exactly what it is for (e.g. a "never" branch in a select).
 */
export function pending<T = never>(): Future<T> {
  return {
    poll(): Poll<T> {
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
