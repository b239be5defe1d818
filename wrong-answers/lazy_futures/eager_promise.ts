// @rejects lazyPromise waits for then
// Mistake: calls fn() at once, so the work starts when lazyPromise is called, as a Promise would.
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
 * A thenable that starts `fn` when somebody first asks for the result.
 * `await x` calls `x.then(resolve, reject)`, so `then` is the JavaScript
 * counterpart of a first poll. The promise is kept, so a second `then` (or a
 * second await) shares the first run instead of starting another.
 */
export function lazyPromise<T>(fn: () => Promise<T>): PromiseLike<T> {
  const promise: Promise<T> = fn();
  return {
    then(onFulfilled, onRejected) {
      return promise.then(onFulfilled, onRejected);
    },
  };
}
