// The course library for quiz2_debug_the_service: the trusted pieces the chat service is built on.
// Checks always use this pristine copy; editing it in your workspace changes nothing.
//
//   - `SyncCell`: a lock that fails instead of waiting, and whose guard is a `Local` (not Send);
//   - `delay`: a timer future on the service's reactor;
//   - `spawnBlocking`: runs CPU-heavy work "on another thread": the work takes its time on the
//     clock, but the event loop's thread stays free;
//   - `moderate`: the CPU-heavy work itself (a word filter).
//
// Rust equivalent: `std::sync::Mutex` with `try_lock` (its `MutexGuard` is !Send, so a future
// holding one across `.await` cannot be `tokio::spawn`ed), `tokio::time::sleep`, and
// `tokio::task::spawn_blocking`.

import { type Context, type Future, type Poll, type Waker, Pending, Ready } from './future';
import { Local } from './runtime';

/** What the service needs from a reactor: `VirtualReactor` from the checks fits. */
export interface ServiceReactor {
  /** The current (virtual) time in ms. */
  readonly now: number;
  /** Wakes `waker` once `now >= deadline`; `replace` updates an earlier registration. */
  registerTimer(deadline: number, waker: Waker, replace?: number): number;
  /** Removes a pending timer. */
  cancelTimer(id: number): boolean;
  /** `ms` of blocking work on this thread: the clock moves, nothing else can run meanwhile. */
  cpu(ms: number): void;
}

/** Thrown by `SyncCell.borrowMut` while an earlier guard is still alive. Rust: `TryLockError::WouldBlock`. */
export class BorrowError extends Error {
  constructor() {
    super('BorrowError: already borrowed. A guard from an earlier borrowMut() is still alive; was it held across an await?');
    this.name = 'BorrowError';
  }
}

/** Access to a SyncCell's value until `release()`. */
export interface Guard<T> {
  /** The value; reading or writing it after release() throws. */
  value: T;
  /** Gives the borrow back. Idempotent. */
  release(): void;
}

/**
 * A cell with one mutable borrow at a time that fails instead of waiting (the event loop's only
 * thread cannot wait for itself). `borrowMut()` hands out the guard wrapped in a `Local`: like
 * Rust's `MutexGuard`, it must not be held by a future that is spawned on a multi-threaded runtime.
 */
export class SyncCell<T> {
  #value: T;
  #borrowed = false;
  #borrows = 0;

  constructor(value: T) {
    this.#value = value;
  }

  /** True while a guard is alive. */
  get borrowed(): boolean {
    return this.#borrowed;
  }

  /** How many guards have been handed out. */
  get borrows(): number {
    return this.#borrows;
  }

  /** A copy of the value, for reading when no guard is alive. */
  snapshot(): T {
    if (this.#borrowed) throw new BorrowError();
    return structuredClone(this.#value);
  }

  /** Takes the one mutable borrow. Throws `BorrowError` while another guard is alive. */
  borrowMut(): Local<Guard<T>> {
    if (this.#borrowed) throw new BorrowError();
    this.#borrowed = true;
    this.#borrows += 1;
    let live = true;
    const cell = this;
    const check = (): void => {
      if (!live) throw new Error('this guard was released; borrowMut() again');
    };
    const guard: Guard<T> = {
      get value(): T {
        check();
        return cell.#value;
      },
      set value(v: T) {
        check();
        cell.#value = v;
      },
      release: () => {
        if (!live) return;
        live = false;
        this.#borrowed = false;
      },
    };
    return new Local(guard);
  }
}

/** A timer future on the service's reactor, ready `ms` after it was made. Rust: `tokio::time::sleep`. */
export function delay(reactor: ServiceReactor, ms: number): Future<void> {
  return timed(reactor, reactor.now + ms, () => undefined);
}

/**
 * Runs `work` "on a blocking thread": the result is ready `ms` after the call, and the event
 * loop's thread is free all that time (no `cpu`). Rust: `tokio::task::spawn_blocking(work)`.
 */
export function spawnBlocking<R>(reactor: ServiceReactor, ms: number, work: () => R): Future<R> {
  return timed(reactor, reactor.now + ms, work);
}

/** What the moderation step does to a message (the CPU-heavy part of handling it). */
export function moderate(text: string): string {
  return text.replace(/\b(spam|scam)\b/gi, '****').trim();
}

function timed<R>(reactor: ServiceReactor, deadline: number, finish: () => R): Future<R> {
  let timer: number | undefined;
  let waker: Waker | undefined;
  return {
    poll(cx: Context): Poll<R> {
      if (reactor.now >= deadline) {
        if (timer !== undefined) reactor.cancelTimer(timer);
        timer = undefined;
        return Ready(finish());
      }
      if (waker === undefined || !waker.willWakeSame(cx.waker)) {
        waker = cx.waker.clone();
        timer = reactor.registerTimer(deadline, waker, timer);
      }
      return Pending;
    },
    drop() {
      if (timer !== undefined) reactor.cancelTimer(timer);
      timer = undefined;
    },
  };
}
