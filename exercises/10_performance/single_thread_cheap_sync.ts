// single_thread_cheap_sync: one thread needs no atomics; threads do.
//
// Chapter: "…most of the async ecosystem assumes a multi-threaded runtime.
// This makes it difficult to enjoy the theoretical performance benefits of
// single-threaded async applications, namely cheaper synchronization."
//
// Goal: several tasks add 1 to a shared counter, `times` times each. The
// checks run your tasks under *every* interleaving (like Rust's loom):
//   - `localIncrement` runs on a one-thread executor: tasks switch only where
//     they `yield AWAIT` (an `.await`). Each increment is a plain
//     `load` then `store`, and the task awaits once after each increment (as
//     if it logged the new value). Nothing can run between the load and the
//     store, so this is already safe, and it must cost no synchronisation:
//     no `fetchAdd`, no `lock`. (The code below is correct but pays for
//     atomics it does not need.)
//   - `sharedIncrement` runs on threads: a switch may happen before any
//     operation. A plain load then store loses updates there (the checks
//     print the interleaving that does). Make each increment one atomic
//     `fetchAdd(1)`, or a `load`/`store` between `lock()` and `unlock()`.
//   - `addMany` is the same job for real: four worker threads add to one
//     `Int32Array` over a `SharedArrayBuffer`, `n` times each. Use `Atomics`.
// Every cell operation is a small generator: call it with `yield*`, e.g.
// `const v = yield* cell.load();`.
//
// TODO: make `localIncrement` plain load/store, with one AWAIT per increment.
// TODO: make `sharedIncrement` safe under preemption.
// TODO: make `addMany` atomic.
//
// Rust equivalent: `Rc<RefCell<u64>>` (or `Cell<u64>`) in tasks on a
// current_thread runtime or a `tokio::task::LocalSet` (`spawn_local`),
// against `Arc<AtomicU64>` / `Arc<Mutex<u64>>` for `tokio::spawn` on the
// multi-threaded runtime. The loom crate explores interleavings like the
// checks do.

/** An `.await`: the only place a one-thread executor may switch tasks. */
export interface Await {
  readonly await: true;
  readonly label: string;
}

/** Blocks until `until()` holds (used by `lock`). */
export interface Until {
  readonly until: () => boolean;
  readonly label: string;
}

/** What a task may yield: a plain step boundary (a label), an await, or a wait. */
export type Step = void | string | Await | Until;

export const AWAIT: Await = Object.freeze({ await: true, label: 'await' });

/** Shared memory, as the checks hand it to the tasks. Each operation is one step. */
export interface Cell {
  /** Reads the value (plain, no synchronisation). */
  load(): Generator<Step, number, void>;
  /** Writes the value (plain, no synchronisation). */
  store(value: number): Generator<Step, void, void>;
  /** Atomically adds `n` and returns the old value. Costs one synchronisation. */
  fetchAdd(n: number): Generator<Step, number, void>;
  /** Waits until nobody holds the lock, then takes it. Costs one synchronisation. */
  lock(): Generator<Step, void, void>;
  /** Releases the lock. Costs one synchronisation. */
  unlock(): Generator<Step, void, void>;
}

/** A task on a one-thread executor. Rust: `Rc<RefCell<u64>>` under `spawn_local`. */
export function* localIncrement(cell: Cell, times: number): Generator<Step, void, void> {
  for (let i = 0; i < times; i++) {
    yield* cell.fetchAdd(1);
    yield AWAIT;
  }
}

/** A task on a thread. Rust: `Arc<AtomicU64>` or `Arc<Mutex<u64>>` under `tokio::spawn`. */
export function* sharedIncrement(cell: Cell, times: number): Generator<Step, void, void> {
  for (let i = 0; i < times; i++) {
    const v = yield* cell.load();
    yield* cell.store(v + 1);
  }
}

/** Adds 1 to `counter[index]`, `n` times, from a worker thread. */
export function addMany(counter: Int32Array, index: number, n: number): void {
  for (let i = 0; i < n; i++) {
    counter[index] = (counter[index] ?? 0) + 1;
  }
}
