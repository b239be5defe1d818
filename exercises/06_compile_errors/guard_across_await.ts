// guard_across_await: a borrow that outlives an await point.
//
// "Since async Rust often depends on more complex language features, such as
// lifetimes and pinning, you may encounter these types of errors more
// frequently."
//
// A synchronous guard (a `RefCell` borrow, a `std::sync::MutexGuard`) is fine
// for a moment of work. Held across an `.await`, it stays alive while other
// tasks run, and the next task that borrows finds it taken:
//
//   task 1: borrow ─ +1 ─ await log(…) ─────────────── release
//   task 2:          borrow → BorrowError ("already borrowed")
//
// Rust turns some of these into compile errors (a `MutexGuard` is not Send, so
// a spawned future holding one across `.await` is refused; clippy's
// `await_holding_lock` warns about the rest); a `RefCell` panics at run time,
// as `SyncCell` throws here.
//
// (A) `countVisit` adds one to the counter and then logs the new count. Its
//     critical section needs no await: release the guard before awaiting.
// (B) `addSlowly` must read, wait, and write back, so its critical section
//     does need an await. That needs a lock whose `lock()` can be awaited:
//     write `AsyncMutex`:
//       - `lock()` resolves with a guard when the lock is free, at once if it
//         is free now, otherwise when every earlier caller has released it:
//         first come, first served;
//       - `release()` hands the lock to exactly one waiting caller (the one
//         that asked first), or frees it if nobody waits; releasing a guard
//         twice throws;
//       - waiting costs nothing: no timers, no polling loop.
//
// TODO (A): release the SyncCell guard before the await in countVisit.
// TODO (B): write AsyncMutex (keep its API; addSlowly is already right).
//
// Rust equivalent: `RefCell::borrow_mut` panics "already borrowed"; holding a
// `std::sync::MutexGuard` across `.await` makes the future !Send (E0277 on
// `tokio::spawn`) and risks deadlock (`clippy::await_holding_lock`);
// `tokio::sync::Mutex` is the FIFO lock whose `lock().await` yields a guard.

import { type SyncCell } from '../_lib/cells';

/** Adds one to the counter, then logs the new count. */
export async function countVisit(counter: SyncCell<number>, log: (count: number) => Promise<void>): Promise<void> {
  const guard = counter.borrowMut();
  guard.value += 1;
  await log(guard.value);
  guard.release();
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

  constructor(value: T) {
    this.value = value;
  }

  /** Resolves with the guard once this caller holds the lock. */
  async lock(): Promise<MutexGuard<T>> {
    // Waits by checking again every millisecond.
    while (this.locked) await new Promise<void>((resolve) => setTimeout(resolve, 1));
    this.locked = true;
    const mutex = this;
    return {
      get value() {
        return mutex.value;
      },
      set value(v: T) {
        mutex.value = v;
      },
      release() {
        mutex.locked = false;
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
