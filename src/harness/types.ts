/*
 * The future model the harness speaks, mirroring Rust's `std::task` and `std::future`.
 *
 * Everything here is *structural*: a learner's own `Poll`, `Waker` or `Future` with the same shape
 * works with the harness, and so do the course library's reference types (exercises/_lib/future.ts),
 * which are declared separately with the same shapes so that course content never depends on the
 * harness.
 */

/**
 * The result of polling: either finished with a value, or not yet.
 *
 * Rust: `enum Poll<T> { Ready(T), Pending }`. The literal `ready` tag lets TypeScript narrow:
 * `if (p.ready) use(p.value)`.
 */
export type Poll<T> = { ready: true; value: T } | { ready: false };

/**
 * A handle that tells an executor "poll this task again".
 *
 * Rust: `std::task::Waker`. `wake()` asks for another poll, `clone()` gives a handle you may keep
 * after `poll` returns (the one in `cx` is only borrowed for the duration of the poll), and
 * `willWakeSame(other)` says whether two wakers would wake the same task, so a future can skip
 * replacing the waker it already stored.
 */
export interface Waker {
  /** Asks the executor to poll the task this waker belongs to. Safe to call more than once. */
  wake(): void;
  /** A waker for the same task that may be stored and used after the current poll. */
  clone(): Waker;
  /** True when `other` would wake the same task as this waker (Rust: `Waker::will_wake`). */
  willWakeSame(other: Waker): boolean;
}

/** What `poll` receives. Rust: `std::task::Context`, which today carries only the waker. */
export interface Context {
  /** The waker of the task doing the polling. Clone it if you need to keep it. */
  waker: Waker;
}

/**
 * A value that will be ready later, and that makes progress only when polled.
 *
 * Rust: `trait Future { type Output; fn poll(self: Pin<&mut Self>, cx: &mut Context) -> Poll<Output> }`.
 * Returning `{ready: false}` is a promise: the future has arranged for `cx.waker` to be woken when
 * polling again could make progress.
 */
export interface Future<T> {
  /** Makes as much progress as possible without blocking. */
  poll(cx: Context): Poll<T>;
  /**
   * Cancel and clean up (Rust: dropping the future). Deregisters wakers, cancels timers, drops
   * children. Idempotent; the future must not be polled afterwards.
   */
  drop?(): void;
}

/**
 * Marks the end of a stream: the `None` in Rust's `Poll<Option<Item>>`.
 *
 * It is `Symbol.for('async-lessons.END')`, so the harness, the course library and a learner who
 * uses `Symbol.for` with the same key all hold the *same* value at run time. (TypeScript still
 * treats each declaration as its own `unique symbol` type, so compare with `===` against the END
 * your own code imports.)
 */
export const END: unique symbol = Symbol.for('async-lessons.END');

/**
 * A future that can be ready many times: it yields items, then `END`.
 *
 * Rust: `trait Stream { type Item; fn poll_next(...) -> Poll<Option<Item>> }`.
 */
export interface Stream<T> {
  /** The next item, `END` when there are no more, or Pending (with a wake arranged). */
  pollNext(cx: Context): Poll<T | typeof END>;
  /** Cancel and clean up, as for `Future.drop`. */
  drop?(): void;
}

/** The value type a future resolves to. Rust: `<F as Future>::Output`. */
export type Output<F> = F extends Future<infer T> ? T : never;

/** Builds a Ready poll result. Rust: `Poll::Ready(value)`. */
export function Ready<T>(value: T): Poll<T> {
  return { ready: true, value };
}

/** The one Pending poll result. Frozen, so no code can turn it into a Ready by accident. */
export const Pending: { readonly ready: false } = Object.freeze({ ready: false });

/**
 * Something that keeps wakers and will call them later: a reactor, a channel, a join handle.
 * `TestExecutor.stalled()` asks the holders it knows whether anybody holds a task's waker.
 */
export interface WakerHolder {
  /** True when this holder keeps a waker that would wake the same task as `waker`. */
  holds(waker: Waker): boolean;
}
