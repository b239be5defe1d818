// The course library: reference versions of the building blocks you write in 01_future_trait.
//
// Later exercises import these (`import { Ready, Pending, type Future } from '../_lib/future'`)
// instead of your own earlier solutions, so a slip in an early exercise never breaks a later one.
// Checks always use this pristine copy; editing it in your workspace changes nothing.
//
// Rust equivalent: `std::task::{Poll, Waker, Context}`, `std::future::{Future, ready, pending,
// poll_fn}`, and `futures::Stream`.

/**
 * The result of polling: finished with a value, or not yet.
 * Rust: `enum Poll<T> { Ready(T), Pending }`.
 *
 * `ready` is a literal `true`/`false` tag, so TypeScript narrows on it:
 * `if (p.ready) { use(p.value) }`, and `value` exists only on the Ready variant.
 */
export type Poll<T> = { ready: true; value: T } | { ready: false };

/** Builds a Ready result. Rust: `Poll::Ready(value)`. */
export function Ready<T>(value: T): Poll<T> {
  return { ready: true, value };
}

/**
 * The Pending result. There is only one, and it is frozen: nobody can set `ready` on it and turn
 * every Pending in the program into a Ready. Rust: `Poll::Pending`.
 */
export const Pending: { readonly ready: false } = Object.freeze({ ready: false });

/**
 * How a future says "poll me again". Rust: `std::task::Waker`.
 * - `wake()` asks the executor to poll the task again. It does not use the waker up: you may wake
 *   the same waker again later, so it models Rust's `Waker::wake_by_ref(&self)`. (Rust's
 *   `Waker::wake(self)` consumes the waker; here, drop your reference instead.) Two wakes before the
 *   next poll ask for one poll;
 * - `clone()` gives a waker you may keep after `poll` returns (the one in `cx` is only lent to you
 *   for the duration of the poll);
 * - `willWakeSame(other)` tells whether two wakers wake the same task, so you can skip replacing a
 *   waker you already stored (Rust: `Waker::will_wake`).
 */
export interface Waker {
  wake(): void;
  clone(): Waker;
  willWakeSame(other: Waker): boolean;
}

/** What `poll` receives. Rust: `std::task::Context`, which today carries only the waker. */
export interface Context {
  waker: Waker;
}

/**
 * A value that will be ready later, and makes progress only when polled.
 * Rust: `trait Future { type Output; fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output>; }`
 * (`Pin`: once a `!Unpin` future is pinned it never moves again until it is dropped, so it may hold
 * references into itself across an `.await`. JavaScript objects never move, so the course has no Pin.)
 *
 * The contract:
 * - `poll` never blocks: it does what it can and returns Ready or Pending;
 * - returning Pending means "I have arranged for `cx.waker` to be woken when polling again can make
 *   progress". Returning Pending without arranging that leaves the task asleep forever;
 * - a future that returned Ready must not be polled again;
 * - `drop()` is how a future is cancelled in this course (Rust drops the value): it cleans up
 *   (cancels timers, forgets wakers, drops children), may be called more than once, and the future
 *   is not polled afterwards.
 */
export interface Future<T> {
  poll(cx: Context): Poll<T>;
  drop?(): void;
}

/** The type a future resolves to. Rust: `<F as Future>::Output`. */
export type Output<F> = F extends Future<infer T> ? T : never;

/**
 * Marks the end of a stream: the `None` of Rust's `Poll<Option<Item>>`.
 * It is `Symbol.for('async-lessons.END')`, the same value the checks use.
 */
export const END: unique symbol = Symbol.for('async-lessons.END');

/**
 * A future that can be ready many times: it yields items, then `END` (and keeps returning `END`
 * if polled again). Rust: `futures::Stream` with `poll_next`.
 */
export interface Stream<T> {
  pollNext(cx: Context): Poll<T | typeof END>;
  drop?(): void;
}

/**
 * A future that is Ready with `value` on its first poll. Polling it again throws, as Rust's
 * `std::future::Ready` panics with "`Ready` polled after completion".
 */
export function ready<T>(value: T): Future<T> {
  let done = false;
  return {
    poll() {
      if (done) throw new Error('`ready` polled after completion');
      done = true;
      return Ready(value);
    },
  };
}

/** A future that is never ready and never wakes anybody. Rust: `std::future::pending()`. */
export function pending<T = never>(): Future<T> {
  return {
    poll() {
      return Pending;
    },
  };
}

/** A future made from a function: each poll calls `fn(cx)` once. Rust: `std::future::poll_fn`. */
export function pollFn<T>(fn: (cx: Context) => Poll<T>): Future<T> {
  return {
    poll(cx) {
      return fn(cx);
    },
  };
}

/**
 * A waker that does nothing: for polling a future by hand when nobody needs to be woken.
 * Rust: `std::task::Waker::noop()`.
 */
export const noopWaker: Waker = Object.freeze({
  wake() {},
  clone() {
    return noopWaker;
  },
  willWakeSame(other: Waker) {
    return other === noopWaker;
  },
});

/** A fresh Context holding `noopWaker`. Rust: `Context::from_waker(Waker::noop())`. */
export function noopContext(): Context {
  return { waker: noopWaker };
}
