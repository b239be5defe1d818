// lazy_futures: Rust futures wait to be polled; JavaScript promises do not.
//
// Goal: a Rust future does nothing until something polls it, while a
// JavaScript Promise starts its work the moment it is created. Here you
// build laziness on both sides.
//
// (A) lazy(thunk): a Future that calls `thunk()` on its first poll, not
//     before, and from then on passes every poll to the future thunk made.
//     It calls `thunk` at most once. `drop()` passes on to that future; if
//     the future was never made, there is nothing to clean up.
//     Try it: `lazy(() => sleep(reactor, 100))` created at t=0 and first
//     polled at t=50 should finish at t=150, because the sleep (and its
//     deadline) only come into being at the first poll. That is Rust's
//     `async { sleep(d).await }`; a bare `tokio::time::sleep(d)` fixes its
//     deadline when it is created, and so does the course's `sleep`.
//
// (B) lazyPromise(fn): something you can `await` (a thenable: an object with
//     a `then` method) that calls `fn()` on the first `then`, not before,
//     and only once: every later `then` gets the same result, or the same
//     rejection.
//
// The starting code does the work in the constructor, as a Promise would.
//
// TODO: lazy: call thunk() on the first poll, remember the future it gives.
// TODO: lazyPromise: call fn() in the first then(), remember its promise.
//
// Rust equivalent: `let f = work();` runs nothing until `f.await` (or a
// poll); `tokio::spawn(f)` starts it at once, the way a JS Promise does.

import type { Context, Future, Poll } from '../_lib/future';

export function lazy<T>(thunk: () => Future<T>): Future<T> {
  const inner = thunk();
  return {
    poll(cx: Context): Poll<T> {
      return inner.poll(cx);
    },
    drop(): void {
      inner.drop?.();
    },
  };
}

export function lazyPromise<T>(fn: () => Promise<T>): PromiseLike<T> {
  const promise = fn();
  return {
    then(onFulfilled, onRejected) {
      return promise.then(onFulfilled, onRejected);
    },
  };
}
