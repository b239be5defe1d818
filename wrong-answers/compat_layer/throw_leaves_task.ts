// @rejects the task that ran it is over too
// Mistake: when the future throws, rejects the Promise but returns Pending from the task, which then stays alive for ever with nothing to wake it.
// compat_layer: let two async worlds call each other.
//
// Each direction reuses the other side's own signal: a Promise's `then` becomes "store and wake",
// a future's Ready becomes `resolve`.
//
// Rust equivalent: `async_compat::Compat` runs tokio-based futures under
// another executor by entering a tokio context around each poll, and
// `tokio_util::compat` adapts between the futures crate's and tokio's
// AsyncRead/AsyncWrite traits. Both are thin adapters: they translate one
// side's readiness signal into the other's.

import { Pending, Ready, type Future, type Waker } from '../_lib/future';
import { Err, Ok, type Result } from '../_lib/runtime';

/** What toPromise and awaitable need from an executor. The checks pass a `TestExecutor`. */
export interface Spawner {
  spawn(name: string, fut: Future<void>): unknown;
}

export function fromPromise<T, E = unknown>(promise: PromiseLike<T>): Future<Result<T, E>> {
  let result: Result<T, E> | undefined;
  let waker: Waker | undefined;
  let attached = false;
  const settle = (r: Result<T, E>): void => {
    result = r;
    const w = waker;
    waker = undefined;
    w?.wake();
  };
  return {
    poll(cx) {
      if (!attached) {
        attached = true;
        // The rejection type is whatever the caller says E is: a Promise does not know it.
        promise.then(
          (value) => settle(Ok(value)),
          (error: E) => settle(Err(error)),
        );
      }
      if (result !== undefined) return Ready(result);
      waker = cx.waker.clone();
      return Pending;
    },
    drop() {
      waker = undefined;
    },
  };
}

export function toPromise<T>(fut: Future<T>, executor: Spawner): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    executor.spawn('toPromise', {
      poll(cx) {
        try {
          const p = fut.poll(cx);
          if (!p.ready) return Pending;
          resolve(p.value);
        } catch (error) {
          reject(error);
          return Pending; // the Promise has its answer; nothing more to do
        }
        return Ready(undefined);
      },
      drop() {
        fut.drop?.();
        // No value will come: say so instead of leaving the Promise pending for ever (tokio: JoinError::Cancelled).
        reject(new Error('toPromise: the task was cancelled before the future finished'));
      },
    });
  });
}

export function awaitable<T>(fut: Future<T>, executor: Spawner): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then(onFulfilled, onRejected) {
      started ??= toPromise(fut, executor);
      return started.then(onFulfilled, onRejected);
    },
  };
}
