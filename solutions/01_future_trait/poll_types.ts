// poll_types: reference solution.
//
// Rust equivalent: `enum Poll<T> { Ready(T), Pending }` and
// `fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output>`.

/**
 * The result of one poll: a union of two variants told apart by the literal
 * `ready` tag. After `if (p.ready)` TypeScript knows it has the Ready variant,
 * so `p.value` is a T; before that check `p.value` does not exist at all,
 * which is the point: you cannot use a value you have not got yet.
 * Rust's `match poll { Poll::Ready(v) => …, Poll::Pending => … }` does the same.
 */
export type Poll<T> = { ready: true; value: T } | { ready: false };

/** A finished poll carrying its value. Rust: `Poll::Ready(value)`. */
export function Ready<T>(value: T): Poll<T> {
  return { ready: true, value };
}

/**
 * The one "not yet" answer. Its type, `{ readonly ready: false }`, fits
 * `Poll<T>` for every T, so one shared object serves every future. Frozen,
 * because a shared object that any code could change would be a trap: one
 * `Pending.ready = true` and every pending future in the program would claim
 * to be finished. Rust: `Poll::Pending`, a value with no fields.
 */
export const Pending: { readonly ready: false } = Object.freeze({ ready: false });

/**
 * Wakes the task that polled. Rust: `std::task::Waker`.
 * - `wake()` asks the executor to poll the task again; it models Rust's
 *   `Waker::wake_by_ref(&self)`, which leaves the waker usable (Rust's
 *   `Waker::wake(self)` consumes it);
 * - `clone()` gives a waker you may keep after poll returns: the one in the
 *   Context is only lent to you for the duration of the poll;
 * - `willWakeSame(other)` tells whether two wakers wake the same task, so a
 *   future can skip replacing a waker it already holds (`Waker::will_wake`).
 */
export interface Waker {
  wake(): void;
  clone(): Waker;
  willWakeSame(other: Waker): boolean;
}

/** What poll receives. Rust: `std::task::Context`, which today holds only the waker. */
export interface Context {
  waker: Waker;
}

/**
 * A value that is ready later, and makes progress only when polled.
 * Rust: `trait Future { type Output; fn poll(...) -> Poll<Self::Output>; }`.
 * TypeScript has no associated types, so the output is the parameter T.
 */
export interface Future<T> {
  poll(cx: Context): Poll<T>;
  /** Cancel and clean up (Rust drops the future). Optional. */
  drop?(): void;
}
