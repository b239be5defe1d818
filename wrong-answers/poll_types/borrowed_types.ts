// @rejects written here, not taken from _lib
// Mistake: writes Ready and Pending but re-exports the course library's Poll, Waker, Context and Future types, so the types this exercise is about are not the learner's.
// Rust equivalent: `enum Poll<T> { Ready(T), Pending }` and
// `fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output>`.

// The library's types already have exactly the right shapes.
import type { Poll } from '../_lib/future';
export type { Context, Future, Poll, Waker } from '../_lib/future';

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

