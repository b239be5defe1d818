// single_thread_cheap_sync: reference solution.
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
    // No await between the read and the write: on one thread nobody else
    // can run in between, so no lock and no atomic is needed.
    const v = yield* cell.load();
    yield* cell.store(v + 1);
    yield AWAIT;
  }
}

/** A task on a thread. Rust: `Arc<AtomicU64>` or `Arc<Mutex<u64>>` under `tokio::spawn`. */
export function* sharedIncrement(cell: Cell, times: number): Generator<Step, void, void> {
  for (let i = 0; i < times; i++) {
    // Another thread may run between any two steps: the read-modify-write
    // has to be one indivisible operation.
    yield* cell.fetchAdd(1);
  }
}

/** Adds 1 to `counter[index]`, `n` times, from a worker thread. */
export function addMany(counter: Int32Array, index: number, n: number): void {
  for (let i = 0; i < n; i++) {
    Atomics.add(counter, index, 1);
  }
}
