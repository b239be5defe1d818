// guard_across_await: reference solution.
//
// Rust equivalent: (A) `{ let mut c = counter.borrow_mut(); *c += 1; *c }` before `log(n).await`;
// (B) a FIFO `tokio::sync::Mutex`, whose `unlock` hands the lock to the first waiter.

import { type SyncCell } from '../_lib/cells';

/** Adds one to the counter, then logs the new count. */
export async function countVisit(counter: SyncCell<number>, log: (count: number) => Promise<void>): Promise<void> {
  // The borrow ends before the await, like a RefMut dropped at the end of its block.
  const guard = counter.borrowMut();
  guard.value += 1;
  const count = guard.value;
  guard.release();
  await log(count);
}

/** A held lock: read and write `value` while you hold it, then `release()` it once. */
export interface MutexGuard<T> {
  value: T;
  release(): void;
}

/** A lock you can wait for without blocking. Rust: `tokio::sync::Mutex<T>`. */
export class AsyncMutex<T> {
  value: T;
  locked = false;
  /** Callers waiting for the lock, first come first served; each is woken once, with its guard. */
  readonly waiters: Array<(guard: MutexGuard<T>) => void> = [];

  constructor(value: T) {
    this.value = value;
  }

  /** Resolves with the guard once this caller holds the lock. */
  lock(): Promise<MutexGuard<T>> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve(this.guard());
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A guard for whoever holds the lock now; releasing it passes the lock on. */
  guard(): MutexGuard<T> {
    const mutex = this;
    let held = true;
    return {
      get value() {
        return mutex.value;
      },
      set value(v: T) {
        mutex.value = v;
      },
      release() {
        if (!held) throw new Error('this guard was already released');
        held = false;
        // Hand over without unlocking, so nobody who asked later can slip in first.
        const next = mutex.waiters.shift();
        if (next === undefined) mutex.locked = false;
        else next(mutex.guard());
      },
    };
  }
}

/** Reads the value, waits, writes it back plus one: the wait is inside the critical section. */
export async function addSlowly(mutex: AsyncMutex<number>, pause: () => Promise<void>): Promise<void> {
  const guard = await mutex.lock();
  try {
    const before = guard.value;
    await pause();
    guard.value = before + 1;
  } finally {
    guard.release();
  }
}
