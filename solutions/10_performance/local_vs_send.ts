// local_vs_send: reference solution.
//
// Rust equivalent: `tokio::spawn<F>(f: F) -> JoinHandle<F::Output> where
// F: Future + Send + 'static, F::Output: Send + 'static` against
// `tokio::task::spawn_local`, which has no Send bound (it needs a LocalSet).
// Holding an `Rc` across an `.await` makes the future !Send: error E0277.

import type { Future, Poll } from '../_lib/future';
import type { Local } from '../_lib/runtime';

export type { Local };

// How deep HoldsLocal looks: Down[4] is 3, …, Down[0] is never (stop).
type Down = [never, 0, 1, 2, 3, 4, 5];

/**
 * `true` when `T` reaches a `Local` through its properties (5 levels deep), else `false`.
 * Functions are not looked into; a union distributes, so it counts if any member holds one.
 */
export type HoldsLocal<T, Depth extends number = 5> = [Depth] extends [never]
  ? false
  : T extends Local<unknown>
    ? true
    : T extends (...args: never[]) => unknown
      ? false
      : T extends object
        ? true extends { [K in keyof T]-?: HoldsLocal<T[K], Down[Depth]> }[keyof T]
          ? true
          : false
        : false;

/** `unknown` for a Send future, `never` for one that holds a Local. Rust: the `F: Send` bound. */
type SendOnly<F> = true extends HoldsLocal<F> ? never : unknown;

/** The value type of future `F`. Rust: `F::Output`. */
export type Output<F> = F extends Future<infer T> ? T : never;

/** A spawned task's result, as a future. Rust: `tokio::task::JoinHandle<T>`. */
export class JoinHandle<T> implements Future<T> {
  constructor(private readonly task: { done: boolean; value: T | undefined; fut: Future<T> }) {}

  /** True once the task has finished. */
  get finished(): boolean {
    return this.task.done;
  }

  poll(): Poll<T> {
    return this.task.done ? { ready: true, value: this.task.value as T } : { ready: false };
  }
}

/** The part both executors share: run every spawned task to the end (futures that need no waker). */
class Runner {
  private readonly tasks: Array<{ done: boolean; value: unknown; fut: Future<unknown> }> = [];

  protected start<F extends Future<unknown>>(fut: F): JoinHandle<Output<F>> {
    const task = { done: false, value: undefined as Output<F> | undefined, fut: fut as Future<Output<F>> };
    this.tasks.push(task);
    return new JoinHandle(task);
  }

  /** Polls every unfinished task until all are done (the checks' futures never wait). */
  run(): void {
    const cx = { waker: { wake() {}, clone: () => cx.waker, willWakeSame: () => true } };
    for (let more = true; more; ) {
      more = false;
      for (const t of this.tasks) {
        if (t.done) continue;
        const p = t.fut.poll(cx);
        if (p.ready) {
          t.done = true;
          t.value = p.value;
        } else more = true;
      }
    }
  }
}

/** Runs tasks on a pool of threads (in Rust). Rust: the multi-threaded tokio runtime. */
export class MultiThreadExecutor extends Runner {
  spawn<F extends Future<unknown>>(fut: F & SendOnly<F>): JoinHandle<Output<F>> {
    return this.start<F>(fut);
  }
}

/** Runs tasks on this thread only. Rust: `tokio::task::LocalSet`. */
export class LocalExecutor extends Runner {
  spawnLocal<F extends Future<unknown>>(fut: F): JoinHandle<Output<F>> {
    return this.start(fut);
  }
}
