// @rejects the latest poller of a handle is the one woken
// Mistake: stores the waiter only the first time the handle is polled; when another task polls the handle later, the first task is woken instead of it.
//
// Rust equivalent: `tokio::spawn(fut)` returns a `JoinHandle<T>`, a future of
// `Result<T, JoinError>`, with `abort()`; dropping the handle detaches the task.

import type { Future, Poll, Waker } from '../_lib/future';
import { Pending, Ready } from '../_lib/future';

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

/** What `spawn` returns. Rust: `tokio::task::JoinHandle<T>`. */
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

/** The slot a task and its handle share. */
interface Slot<T> {
  /** Written once, by the task (value or panic) or by abort (cancelled). */
  result: Result<T, JoinError> | undefined;
  /** Whoever polled the handle last and is waiting for the result. */
  waiter: Waker | undefined;
}

/** What the run queue holds: the type of each task's output does not matter to it. */
interface Runnable {
  queued: boolean;
  /** Polls once; true when the task finished (or had already finished). */
  pollOnce(): boolean;
}

class Task<T> implements Runnable {
  fut: Future<T> | undefined;
  queued = false;
  readonly slot: Slot<T> = { result: undefined, waiter: undefined };
  readonly waker: Waker;
  private readonly onDone: () => void;

  constructor(fut: Future<T>, schedule: (task: Task<T>) => void, onDone: () => void) {
    this.fut = fut;
    this.onDone = onDone;
    const waker: Waker = {
      wake: () => schedule(this),
      clone: () => waker,
      willWakeSame: (other) => other === waker,
    };
    this.waker = waker;
  }

  pollOnce(): boolean {
    const fut = this.fut;
    if (fut === undefined) return true; // aborted while it sat in the queue
    let result: Poll<T>;
    try {
      result = fut.poll({ waker: this.waker });
    } catch (error) {
      // A throw is this task's panic: it ends here, and the executor goes on.
      this.finish({ ok: false, error: new JoinError('panic', error) });
      return true;
    }
    if (this.fut === undefined) return true; // it aborted itself during the poll
    if (!result.ready) return false;
    this.finish({ ok: true, value: result.value });
    return true;
  }

  /** Writes the result into the shared slot and wakes whoever waits for it, once. */
  finish(result: Result<T, JoinError>): void {
    this.fut = undefined; // let the future go
    this.slot.result = result;
    const waiter = this.slot.waiter;
    this.slot.waiter = undefined;
    this.onDone();
    waiter?.wake();
  }
}

class Handle<T> implements JoinHandle<T> {
  private readonly task: Task<T>;

  constructor(task: Task<T>) {
    this.task = task;
  }

  poll(cx: { waker: Waker }): Poll<Result<T, JoinError>> {
    const slot = this.task.slot;
    if (slot.result !== undefined) return Ready(slot.result);
    // Register (or replace) the waiter: the task wakes it when it finishes.
    slot.waiter ??= cx.waker.clone();
    return Pending;
  }

  abort(): void {
    const task = this.task;
    if (task.slot.result !== undefined) return; // finished: the value stays
    const fut = task.fut;
    task.finish({ ok: false, error: new JoinError('cancelled') });
    fut?.drop?.(); // Rust drops the task's future: its timers and sockets are released
  }

  drop(): void {
    // Detach: nobody waits for the result any more, but the task runs on.
    this.task.slot.waiter = undefined;
  }
}

export class Executor {
  private readonly reactor: Reactor;
  private readonly queue: Runnable[] = [];
  private live = 0;

  constructor(reactor: Reactor) {
    this.reactor = reactor;
  }

  spawn<T>(fut: Future<T>): JoinHandle<T> {
    const task: Task<T> = new Task(
      fut,
      (t) => this.schedule(t),
      () => void (this.live -= 1),
    );
    this.live += 1;
    this.schedule(task);
    return new Handle(task);
  }

  private schedule<T>(task: Task<T>): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
    this.queue.push(task);
  }

  run(): void {
    for (;;) {
      for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
        task.queued = false;
        task.pollOnce();
      }
      if (this.live === 0 || !this.reactor.turn()) return;
    }
  }
}
