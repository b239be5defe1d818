/*
 * A task as the TestExecutor keeps it, and the handle a test gets back from `spawn`.
 */
import { type Context, type Future, type Poll, type Waker, Pending, Ready } from './types.js';
import { sameWaker } from './wakers.js';

/** Where a task is in its life. */
export type TaskState = 'pending' | 'done' | 'failed' | 'cancelled';

/**
 * A spawned task, seen from the test. It is also a `Future<T>`, so another task can wait for it
 * (Rust: `JoinHandle<T>`); polling it re-throws if the task failed or was aborted.
 */
export interface TaskHandle<T> extends Future<T> {
  /** The name given to `spawn`, used in `trace` and messages. */
  readonly name: string;
  /** `pending` until its future returns Ready (`done`), throws (`failed`) or is aborted (`cancelled`). */
  readonly state: TaskState;
  /** True once the future returned Ready. */
  readonly done: boolean;
  /** The output. Throws an explanatory error when the task has not finished. */
  readonly result: T;
  /** What the future threw, when `state` is `failed`. */
  readonly error: unknown;
  /** Times the task was polled. */
  readonly polls: number;
  /** `wake()` calls on the task's waker or its clones (including wakes after it finished). */
  readonly wakes: number;
  /** `clone()` calls on the task's waker or its clones. */
  readonly clones: number;
  /** Wakes that happened while the task was being polled (the future woke itself). */
  readonly wokeDuringPoll: number;
  /** The virtual time (`reactor.now`, 0 without a reactor) when it finished; undefined while pending. */
  readonly finishedAt: number | undefined;
  /** The task's waker (the one put in its Context). */
  readonly waker: Waker;
  /** Cancels the task: calls its future's `drop()` once and marks it `cancelled`. No effect once finished. */
  abort(): void;
}

/** @internal the executor's record of a task. */
export interface Task {
  name: string;
  fut: Future<unknown>;
  waker: Waker;
  state: TaskState;
  value: unknown;
  error: unknown;
  queued: boolean;
  rewake: boolean;
  polls: number;
  wakes: number;
  clones: number;
  wokeDuringPoll: number;
  finishedAt: number | undefined;
  waiter: Waker | undefined;
}

/** @internal */
export function handleFor<T>(task: Task, now: () => number, onAbort?: () => void): TaskHandle<T> {
  const result = (): T => {
    if (task.state === 'done') return task.value as T;
    if (task.state === 'failed') throw new Error(`task "${task.name}" has no result: its poll threw ${String(task.error)}`, { cause: task.error });
    if (task.state === 'cancelled') throw new Error(`task "${task.name}" has no result: it was aborted.`);
    throw new Error(`task "${task.name}" has no result yet: it is still Pending after ${task.polls} poll(s). Run the executor (and turn the reactor) first.`);
  };
  return {
    name: task.name,
    waker: task.waker,
    get state() {
      return task.state;
    },
    get done() {
      return task.state === 'done';
    },
    get result(): T {
      return result();
    },
    get error() {
      return task.error;
    },
    get polls() {
      return task.polls;
    },
    get wakes() {
      return task.wakes;
    },
    get clones() {
      return task.clones;
    },
    get wokeDuringPoll() {
      return task.wokeDuringPoll;
    },
    get finishedAt() {
      return task.finishedAt;
    },
    abort() {
      if (task.state !== 'pending') return;
      task.state = 'cancelled';
      onAbort?.();
      task.fut.drop?.();
      task.finishedAt = now();
      const waiter = task.waiter;
      task.waiter = undefined;
      waiter?.wake();
    },
    poll(cx: Context): Poll<T> {
      if (task.state === 'done') return Ready(task.value as T);
      if (task.state !== 'pending') return Ready(result()); // throws the explanation
      if (task.waiter === undefined || !sameWaker(task.waiter, cx.waker)) task.waiter = cx.waker.clone();
      return Pending;
    },
  };
}
