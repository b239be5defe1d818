// @rejects fn runs once whatever it resolves to
// Mistake: keeps the result in a variable and uses `undefined` to mean "not run yet", so a fn that resolves to undefined (a void job) runs again on every await.
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
 * A thenable that starts `fn` when somebody first asks for the result. The
 * value is kept once it has arrived, and a failure is kept too.
 */
export function lazyPromise<T>(fn: () => Promise<T>): PromiseLike<T> {
  let value: T | undefined;
  let failure: { error: unknown } | undefined;
  let running: Promise<T> | undefined;
  return {
    then(onFulfilled, onRejected) {
      if (failure !== undefined) return Promise.reject(failure.error).then(onFulfilled, onRejected);
      if (value !== undefined) return Promise.resolve(value).then(onFulfilled, onRejected);
      running ??= fn().then(
        (v) => {
          value = v;
          running = undefined;
          return v;
        },
        (error: unknown) => {
          failure = { error };
          throw error;
        },
      );
      return running.then(onFulfilled, onRejected);
    },
  };
}
