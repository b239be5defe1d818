// compat_layer: let two async worlds call each other.
//
// Goal: the course's poll-based futures and JavaScript's Promises are two
// async models that do not know each other. A compatibility layer
// translates between them, in three small functions:
//
//   fromPromise(p)          a Promise seen as a course Future. A Promise
//                           already has a callback mechanism (`then`);
//                           translate "then" into "store the result and
//                           wake the latest waker".
//   toPromise(fut, exec)    a Future seen as a Promise: spawn it as ONE task
//                           on the executor, and translate its completion
//                           into resolve (or reject, if its poll throws;
//                           if the executor cancels the task, drop the
//                           future and reject with an Error saying so).
//   awaitable(fut, exec)    like toPromise, but lazy, as futures are: it
//                           is a thenable that spawns nothing until someone
//                           awaits it (calls its `then`), and then only once.
//
// Rules for fromPromise:
//   - attach `then` handlers once, however often the future is polled;
//   - a Pending poll stores `cx.waker` (the latest poll's waker is the one
//     to wake: the future may have moved to another task);
//   - never wake during a poll; a fulfilled promise gives Ready(Ok(value)),
//     a rejected one Ready(Err(error)): never throw from poll.
//
// TODO: fromPromise, toPromise, awaitable.
//
// Rust equivalent: `async_compat::Compat` runs tokio-based futures under
// another executor by entering a tokio context around each poll, and
// `tokio_util::compat` adapts between the futures crate's and tokio's
// AsyncRead/AsyncWrite traits. Both are thin adapters: they translate one
// side's readiness signal into the other's.

import type { Future } from '../_lib/future';
import type { Result } from '../_lib/runtime';

/** What toPromise and awaitable need from an executor. The checks pass a `TestExecutor`. */
export interface Spawner {
  spawn(name: string, fut: Future<void>): unknown;
}

export function fromPromise<T, E = unknown>(promise: PromiseLike<T>): Future<Result<T, E>> {
  void promise;
  throw new Error('TODO: fromPromise');
}

export function toPromise<T>(fut: Future<T>, executor: Spawner): Promise<T> {
  void fut;
  void executor;
  throw new Error('TODO: toPromise');
}

export function awaitable<T>(fut: Future<T>, executor: Spawner): PromiseLike<T> {
  void fut;
  void executor;
  throw new Error('TODO: awaitable');
}
