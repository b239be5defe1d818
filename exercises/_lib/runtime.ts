// The course library: a reference runtime, and the types for boxed futures and `Send`.
//
// You build each of these pieces yourself in 04_runtimes and 05_async_in_traits. Exercises that
// come later import these reference versions, so a slip in your own executor never breaks them.
// Checks always use this pristine copy; editing it in your workspace changes nothing.
//
// What is here:
//   - `Executor`: a FIFO run queue, wakers that push their task, a reactor turned when idle,
//     `spawn` → `JoinHandle`, `blockOn`;
//   - `JoinHandle` / `JoinError` / `Result`: how a spawned task hands back its result;
//   - `Local`, `ContainsLocal`, `RequireSend`: a stand-in for Rust's `Send` auto trait;
//   - `BoxFuture`, `LocalBoxFuture`, `box`, `boxLocal`: type-erased futures, one heap object each.
//
// Rust equivalent: a tiny `tokio` (runtime, `spawn`, `JoinHandle`, `JoinError`, `spawn_local`)
// plus `futures::future::{BoxFuture, LocalBoxFuture, FutureExt::boxed}`.

import { type Context, type Future, type Output, type Poll, type Waker, Pending, Ready } from './future';

// ---------------------------------------------------------------------------------------------
// Results and join errors
// ---------------------------------------------------------------------------------------------

/** Success or failure, as a value. Rust: `Result<T, E>` (`Ok(value)` / `Err(error)`). */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Builds `Ok(value)`. */
export function Ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Builds `Err(error)`. */
export function Err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/**
 * Why a task has no value. Rust: `tokio::task::JoinError`, with `is_panic()` and
 * `is_cancelled()`.
 * - `panic`: the task's `poll` threw (`cause` is what it threw);
 * - `cancelled`: somebody called `abort()` on its handle before it finished.
 */
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

// ---------------------------------------------------------------------------------------------
// Send, approximated
// ---------------------------------------------------------------------------------------------

/**
 * A value that must stay on the thread that made it. Rust: `Rc<T>` (or anything `!Send`).
 *
 * JavaScript has no such rule, so the course marks these values by type: a future whose state
 * holds a `Local` (at any depth `ContainsLocal` looks) may not be handed to `spawn`, as Rust
 * refuses to `tokio::spawn` a future that holds an `Rc` across an `.await`.
 */
export class Local<T> {
  /** The brand `ContainsLocal` looks for. */
  readonly local = true;
  readonly value: T;

  constructor(value: T) {
    this.value = value;
  }
}

// Depth counter for ContainsLocal: Prev[6] is 5, …, Prev[0] is never (stop).
type Prev = [never, 0, 1, 2, 3, 4, 5, 6];

/**
 * `true` when type `T` reaches a `Local` through its properties (up to 6 levels deep), `false`
 * otherwise. Functions (methods) are not looked into. A union counts if any member does.
 *
 * Unlike Rust's auto traits this sees only what `keyof` sees: `#private` fields are invisible to
 * it, which is why checks ban them where Send matters.
 */
export type ContainsLocal<T, Depth extends number = 6> = [Depth] extends [never]
  ? false
  : T extends Local<unknown>
    ? true
    : T extends (...args: never[]) => unknown
      ? false
      : T extends object
        ? true extends { [K in keyof T]-?: ContainsLocal<T[K], Prev[Depth]> }[keyof T]
          ? true
          : false
        : false;

/**
 * `unknown` when `F` holds no `Local`, `never` when it does. Intersect a parameter with it to
 * accept only Send values: `function spawn<F>(fut: F & RequireSend<F>)`. A call with a future
 * that holds a `Local` then fails with TS2345 "… is not assignable to parameter of type 'never'".
 * Rust: the `F: Send` bound.
 */
export type RequireSend<F> = ContainsLocal<F> extends true ? never : unknown;

// ---------------------------------------------------------------------------------------------
// Boxed futures
// ---------------------------------------------------------------------------------------------

// Type-only brands. They are not exported and no value exists at run time, so the only way to get
// a BoxFuture is `box()` (and a LocalBoxFuture, `boxLocal()`).
declare const SEND_BOX: unique symbol;
declare const LOCAL_BOX: unique symbol;

/**
 * A future whose concrete type has been erased, promised to be Send.
 * Rust: `futures::future::BoxFuture<'a, T>` = `Pin<Box<dyn Future<Output = T> + Send + 'a>>`.
 */
export type BoxFuture<T> = Future<T> & { readonly [SEND_BOX]: true };

/**
 * A future whose concrete type has been erased, with no Send promise: it may hold a `Local`, so
 * `spawn` refuses it (use `spawnLocal`).
 * Rust: `futures::future::LocalBoxFuture<'a, T>` = `Pin<Box<dyn Future<Output = T> + 'a>>`.
 */
export type LocalBoxFuture<T> = Future<T> & { readonly [LOCAL_BOX]: Local<unknown> };

let allocations = 0;

/** How many boxes `box` and `boxLocal` have made so far (each one is a heap allocation in Rust). */
export function boxAllocations(): number {
  return allocations;
}

// One wrapper object per call: the "allocation". It forwards poll and drop to the inner future.
function wrap<T>(fut: Future<T>): Future<T> {
  allocations += 1;
  return {
    poll: (cx: Context) => fut.poll(cx),
    drop: () => fut.drop?.(),
  };
}

/**
 * Erases `fut`'s type into a `BoxFuture<T>`. Rust: `Box::pin(fut)` / `fut.boxed()`.
 *
 * TypeScript cannot look inside a generic `F` to see whether it holds a `Local`, so `box` does not
 * check: whoever calls it must already know the future is Send, typically by putting
 * `RequireSend<F>` on their own parameter. That is the "decide Send-ness where you box" rule.
 */
export function box<T>(fut: Future<T>): BoxFuture<T> {
  // The cast attaches the type-only brand.
  return wrap(fut) as BoxFuture<T>;
}

/** Erases `fut`'s type into a `LocalBoxFuture<T>`. Rust: `Box::pin(fut)` / `fut.boxed_local()`. */
export function boxLocal<T>(fut: Future<T>): LocalBoxFuture<T> {
  return wrap(fut) as LocalBoxFuture<T>;
}

// ---------------------------------------------------------------------------------------------
// The executor
// ---------------------------------------------------------------------------------------------

/** What the executor needs from a reactor: `VirtualReactor` from the checks fits. */
export interface Reactor {
  /** Wakes whatever is due (jumping to the next timer if nothing is); false when nothing could be woken. */
  turn(): boolean;
}

/** Thrown by `blockOn` when its future is Pending, nothing is queued and the reactor is empty. */
export class Deadlock extends Error {
  constructor(what: string) {
    super(`deadlock: ${what} is Pending, no task is runnable and the reactor has nothing left to wake`);
    this.name = 'Deadlock';
  }
}

// The slot a task and its handle share: the task writes its result, the handle reads it.
interface Slot<T> {
  result: Result<T, JoinError> | undefined;
  waiter: Waker | undefined; // whoever is waiting on the handle
}

class Task<T> {
  fut: Future<T> | undefined; // released (set to undefined) once the task finishes
  queued = false;
  readonly slot: Slot<T> = { result: undefined, waiter: undefined };
  readonly waker: Waker;

  readonly #onDone: () => void;

  constructor(fut: Future<T>, schedule: (task: Task<T>) => void, onDone: () => void) {
    this.fut = fut;
    this.#onDone = onDone;
    // The waker is the only way back into the run queue (Rust: ArcWake sending Arc<Task>).
    const waker: Waker = {
      wake: () => schedule(this),
      clone: () => waker,
      willWakeSame: (other) => other === waker,
    };
    this.waker = waker;
  }

  /** Writes the result into the shared slot and wakes whoever waits on the handle. */
  finish(result: Result<T, JoinError>): void {
    this.fut = undefined;
    this.#onDone();
    this.slot.result = result;
    const waiter = this.slot.waiter;
    this.slot.waiter = undefined;
    waiter?.wake();
  }
}

/**
 * What `spawn` returns: a future of the task's result. Rust: `tokio::task::JoinHandle<T>`, a
 * `Future<Output = Result<T, JoinError>>`.
 * - polling it registers the poller's waker in the shared slot, woken once when the task ends;
 * - `abort()` cancels the task (its future is dropped); the result becomes `JoinError` cancelled,
 *   unless it had already finished;
 * - `drop()` only lets go of the handle: the task keeps running ("detached").
 */
export class JoinHandle<T> implements Future<Result<T, JoinError>> {
  readonly #task: Task<T>;

  constructor(task: Task<T>) {
    this.#task = task;
  }

  poll(cx: Context): Poll<Result<T, JoinError>> {
    const slot = this.#task.slot;
    if (slot.result !== undefined) return Ready(slot.result);
    slot.waiter = cx.waker.clone();
    return Pending;
  }

  /** True once the task has a result (value, panic or cancellation). */
  get finished(): boolean {
    return this.#task.slot.result !== undefined;
  }

  abort(): void {
    const task = this.#task;
    if (task.slot.result !== undefined) return; // already finished: keep its result
    const fut = task.fut;
    task.finish(Err(new JoinError('cancelled')));
    fut?.drop?.();
  }

  drop(): void {
    this.#task.slot.waiter = undefined; // nobody is waiting any more; the task runs on
  }
}

/**
 * A single-threaded executor with a FIFO run queue. Rust: the Async Book's executor (§2.4) with a
 * tokio-style `spawn`.
 *
 * `run()` pops a task, polls it, and repeats; when the queue is empty it turns the reactor, whose
 * wakes push tasks back. It returns when every task has finished or nothing can happen any more.
 */
export class Executor {
  readonly #reactor: Reactor | undefined;
  readonly #queue: Array<Task<unknown>> = [];
  #live = 0;
  #polls = 0;

  constructor(reactor?: Reactor) {
    this.#reactor = reactor;
  }

  /** Tasks spawned and not finished yet. */
  get liveTasks(): number {
    return this.#live;
  }

  /** Polls made so far. */
  get polls(): number {
    return this.#polls;
  }

  /**
   * Starts `fut` as a task. Like `tokio::spawn`, it accepts only futures that hold no `Local`
   * (Send futures); use `spawnLocal` for the others.
   */
  spawn<F extends Future<unknown>>(fut: F & RequireSend<F>): JoinHandle<Output<F>> {
    // F is a Future of its own Output; TypeScript cannot see that through the generic, hence the cast.
    return this.#spawn(fut as Future<Output<F>>);
  }

  /** Starts a future that may hold a `Local`. Rust: `tokio::task::spawn_local` on a `LocalSet`. */
  spawnLocal<T>(fut: Future<T>): JoinHandle<T> {
    return this.#spawn(fut);
  }

  #spawn<T>(fut: Future<T>): JoinHandle<T> {
    const task = new Task<T>(
      fut,
      (t) => this.#schedule(t),
      () => void (this.#live -= 1),
    );
    this.#live += 1;
    this.#schedule(task);
    return new JoinHandle(task);
  }

  // Push unless already queued; a finished task ignores wakes.
  #schedule<T>(task: Task<T>): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
    // Each task is stored with its own type erased: the queue only ever calls poll on it.
    this.#queue.push(task as Task<unknown>);
  }

  /** Runs until every task has finished, or nothing is runnable and the reactor has nothing to wake. */
  run(): void {
    for (;;) {
      for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
        task.queued = false;
        this.#poll(task);
      }
      if (this.#live === 0 || this.#reactor === undefined || !this.#reactor.turn()) return;
    }
  }

  /** Spawns `fut`, runs, and returns its value; throws what it threw, or `Deadlock`. */
  blockOn<T>(fut: Future<T>): T {
    const handle = this.#spawn(fut);
    this.run();
    const result = handle.poll({ waker: noop });
    if (!result.ready) throw new Deadlock('the blocked-on future');
    if (!result.value.ok) throw result.value.error.kind === 'panic' ? result.value.error.cause : result.value.error;
    return result.value.value;
  }

  #poll(task: Task<unknown>): void {
    const fut = task.fut;
    if (fut === undefined) return; // finished or aborted while it sat in the queue
    this.#polls += 1;
    let result: Poll<unknown>;
    try {
      result = fut.poll({ waker: task.waker });
    } catch (error) {
      // A panic ends this task only; the executor keeps going.
      task.finish(Err(new JoinError('panic', error)));
      return;
    }
    if (result.ready) task.finish(Ok(result.value));
  }
}

const noop: Waker = { wake() {}, clone: () => noop, willWakeSame: (o) => o === noop };
