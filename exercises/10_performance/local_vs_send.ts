// local_vs_send: `spawn` demands Send; `spawnLocal` does not.
//
// Chapter: "…most of the async ecosystem assumes a multi-threaded runtime."
//
// Goal: a multi-threaded executor may move a task to another thread at any
// await, so it must refuse, at compile time, a future that holds a `Local`
// (a value that must stay on its thread, Rust's `Rc`). A local executor runs
// everything on one thread and takes any future. Right now both accept
// anything and return nothing. Write the types:
//   - `HoldsLocal<T>`: `true` when T reaches a `Local` through its
//     properties, at least 4 levels deep (`{ a: { b: { c: { d: Local } } } }`),
//     arrays included; `false` otherwise. Functions (methods) are not looked
//     into; a union counts if any member holds one;
//   - `Output<F>`: the value type future F resolves to (use `infer`), never
//     for a non-future;
//   - `MultiThreadExecutor.spawn(fut)`: refuses a future whose type holds a
//     `Local` (the argument's type must become `never`, so the call fails
//     with TS2345), and returns `JoinHandle<Output<F>>`;
//   - `LocalExecutor.spawnLocal(fut)`: takes any future, and returns
//     `JoinHandle<Output<F>>`.
// No `any`, and no borrowing `ContainsLocal`/`RequireSend` from the course
// library: build the check yourself. The bodies already work.
//
// TODO: write `HoldsLocal` and `Output`.
// TODO: give `spawn` and `spawnLocal` their signatures.
//
// Rust equivalent: `tokio::spawn<F>(f: F) -> JoinHandle<F::Output> where
// F: Future + Send + 'static, F::Output: Send + 'static` against
// `tokio::task::spawn_local`, which has no Send bound (it needs a LocalSet).
// Holding an `Rc` across an `.await` makes the future !Send: error E0277.

import type { Future, Poll } from '../_lib/future';
import type { Local } from '../_lib/runtime';

export type { Local };

/** `true` when `T` reaches a `Local` through its properties. */
export type HoldsLocal<T> = false;

/** The value type of future `F`. Rust: `F::Output`. */
export type Output<F> = unknown;

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
  spawn<F extends Future<unknown>>(fut: F): void {
    this.start(fut);
  }
}

/** Runs tasks on this thread only. Rust: `tokio::task::LocalSet`. */
export class LocalExecutor extends Runner {
  spawnLocal<F extends Future<unknown>>(fut: F): void {
    this.start(fut);
  }
}
