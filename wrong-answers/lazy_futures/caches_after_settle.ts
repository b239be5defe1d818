// @rejects awaits made before fn settles share one run
// Mistake: remembers fn's outcome only once it has settled, so two awaits that start before then (say two tasks awaiting the same lazy value) each call fn.
// Rust equivalent: `let f = work();` runs nothing until `f.await` (or a
// poll); `tokio::spawn(f)` starts it at once, the way a JS Promise does.

import type { Context, Future, Poll } from '../_lib/future';

/**
 * A future made on demand. Two states: "not started" (inner undefined) and
 * "started" (inner set). The first poll moves from one to the other; every
 * poll after that goes straight to the inner future. This is how every Rust
 * future behaves: `async fn` bodies and timers alike only start at the first
 * poll.
 */
export function lazy<T>(thunk: () => Future<T>): Future<T> {
  let inner: Future<T> | undefined;
  return {
    poll(cx: Context): Poll<T> {
      inner ??= thunk();
      return inner.poll(cx);
    },
    drop(): void {
      // Never polled: nothing was started, so there is nothing to cancel.
      inner?.drop?.();
    },
  };
}

/**
 * A thenable that starts `fn` when somebody first asks for the result, and
 * remembers the outcome once it is known, so later awaits reuse it.
 */
export function lazyPromise<T>(fn: () => Promise<T>): PromiseLike<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  return {
    then(onFulfilled, onRejected) {
      if (outcome !== undefined) {
        const known = outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(outcome.error);
        return known.then(onFulfilled, onRejected);
      }
      return fn()
        .then(
          (value) => {
            outcome = { ok: true, value };
            return value;
          },
          (error: unknown) => {
            outcome = { ok: false, error };
            throw error;
          },
        )
        .then(onFulfilled, onRejected);
    },
  };
}
