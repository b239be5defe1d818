// join_handle: get a spawned task's result back.
//
// Goal: this is the run-queue executor from the previous exercise, already
// working. But `spawn` returns nothing: once a task is started, nobody can
// wait for it, read its result, see that it failed, or stop it. And a task
// whose `poll` throws takes the whole executor down with it.
//
// Make `spawn(fut)` return a `JoinHandle<T>`, a future of
// `Result<T, JoinError>`:
//   - polling the handle gives `{ ok: true, value }` once the task is done
//     (whatever the value: `undefined`, `0` and `false` are values too),
//     and otherwise keeps the poller's waker (the latest poller's, if the
//     handle is polled by another task) and returns Pending; the task wakes
//     that waker once, when it finishes;
//   - a task whose `poll` throws ends with `{ ok: false, error }` where
//     `error` is `new JoinError('panic', whatWasThrown)`; `run()` carries on
//     with the other tasks;
//   - `handle.abort()` stops a task that has not finished: its future's
//     `drop()` is called once, it is never polled again, and the result
//     becomes `new JoinError('cancelled')`. On a finished task it does
//     nothing: the result stays;
//   - `handle.drop()` only lets go of the handle: the task keeps running to
//     the end ("detached").
//
// TODO: give the task and its handle one shared slot: the result (once
//       there is one) and the waker of whoever waits for it.
// TODO: return a JoinHandle from `spawn`; catch throws in `run()`.
// TODO: write `abort()` and `drop()` on the handle.
//
// Rust equivalent: `tokio::spawn(fut)` returns a `JoinHandle<T>`, a future of
// `Result<T, JoinError>`, with `abort()`; dropping the handle detaches the task.

import type { Future, Waker } from '../_lib/future';

/** Success or failure, as a value. Rust: `Result<T, E>`. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Why a task has no value. Rust: `tokio::task::JoinError`. */
export class JoinError extends Error {
  readonly kind: 'panic' | 'cancelled';

  constructor(kind: 'panic' | 'cancelled', cause?: unknown) {
    super(kind === 'panic' ? `task panicked: ${String(cause)}` : 'task was cancelled', { cause });
    this.name = 'JoinError';
    this.kind = kind;
  }

  isPanic(): boolean {
    return this.kind === 'panic';
  }

  isCancelled(): boolean {
    return this.kind === 'cancelled';
  }
}

/** What `spawn` should return. Rust: `tokio::task::JoinHandle<T>`. */
export interface JoinHandle<T> extends Future<Result<T, JoinError>> {
  /** Cancels the task, unless it has already finished. */
  abort(): void;
  /** Lets go of the handle; the task keeps running ("detached"). */
  drop(): void;
}

/** What the executor needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  turn(): boolean;
}

class Task {
  fut: Future<unknown> | undefined;
  queued = false;
  readonly waker: Waker;

  constructor(fut: Future<unknown>, schedule: (task: Task) => void) {
    this.fut = fut;
    const waker: Waker = {
      wake: () => schedule(this),
      clone: () => waker,
      willWakeSame: (other) => other === waker,
    };
    this.waker = waker;
  }
}

export class Executor {
  private readonly reactor: Reactor;
  private readonly queue: Task[] = [];
  private live = 0;

  constructor(reactor: Reactor) {
    this.reactor = reactor;
  }

  spawn<T>(fut: Future<T>): void {
    const task = new Task(fut, (t) => this.schedule(t));
    this.live += 1;
    this.schedule(task);
  }

  private schedule(task: Task): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
    this.queue.push(task);
  }

  run(): void {
    for (;;) {
      for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
        task.queued = false;
        const fut = task.fut;
        if (fut === undefined) continue;
        // The result is thrown away, and a throw escapes from run().
        if (fut.poll({ waker: task.waker }).ready) {
          task.fut = undefined;
          this.live -= 1;
        }
      }
      if (this.live === 0 || !this.reactor.turn()) return;
    }
  }
}
