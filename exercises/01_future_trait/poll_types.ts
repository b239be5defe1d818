// poll_types: the vocabulary of a poll-based future, as types.
//
// Goal: describe Rust's future model precisely enough that TypeScript can
// catch misuse. A future is an object with a `poll(cx)` method. Each poll
// answers either "ready, here is the value" or "pending, not yet". The
// Context `cx` carries the Waker of the task doing the polling, so a
// pending future can ask to be polled again later.
//
// The types below are too loose to catch anything:
//   - `Poll<T>` lets you read `value` without first checking `ready`;
//   - `Pending` is an ordinary object any code could change;
//   - `Future<T>.poll` takes no Context and returns `any`;
//   - there is no Waker or Context at all.
//
// TODO: make Poll<T> a union of two variants tagged by a literal `ready`:
//       Ready carries `value: T`; Pending has no `value` at all.
// TODO: make Pending a single frozen object that fits every Poll<T>.
// TODO: write the Waker interface (wake, clone, willWakeSame) and Context
//       (it holds the waker), then give Future<T>.poll(cx: Context) the
//       return type Poll<T>.
// No `any`, no `as` casts, no `@ts-...` comments, and no importing or
// re-exporting the course library (exercises/_lib/future.ts): write them here.
//
// Rust equivalent: `enum Poll<T> { Ready(T), Pending }` and
// `fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output>`.

/** The result of one poll. */
export type Poll<T> = { ready: boolean; value?: T };

/** A finished poll carrying its value. */
export function Ready<T>(value: T): Poll<T> {
  return { ready: true, value };
}

/** The "not yet" answer. */
export const Pending: Poll<never> = { ready: false };

/**
 * Wakes the task that polled: `wake()` asks for another poll, `clone()` gives
 * a waker you may keep after poll returns, `willWakeSame(other)` says whether
 * two wakers wake the same task. (`wake()` models Rust's `Waker::wake_by_ref`:
 * it does not use the waker up, unlike `Waker::wake(self)`.)
 */
export interface Waker {}

/** What poll receives: for now, just the waker of the polling task. */
export interface Context {}

/** A value that is ready later, and makes progress only when polled. */
export interface Future<T> {
  poll(): any;
  /** Cancel and clean up (Rust drops the future). Optional. */
  drop?(): void;
}
