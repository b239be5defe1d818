// @rejects an earlier blockOnSync's waker does not wake the next one
// Mistake: keeps the woken flag at module level, so a waker left behind by an earlier call makes the next call poll though its own waker was never woken.
// block_on_guard: block only where nothing else needs the thread.
//
// blockOnSync drives one future with a waker that sets a flag, turns the reactor when nothing was
// woken, refuses to run inside one of its own polls, and gives up with WouldDeadlock when nothing
// is left that could wake the future.
//
// Rust equivalent: `futures::executor::block_on` and tokio's
// `Runtime::block_on`. Tokio panics with "Cannot start a runtime from
// within a runtime. This happens because a function (like `block_on`)
// attempted to block the current thread while the thread is being used to
// drive asynchronous tasks."

import type { Context, Future, Poll, Waker } from '../_lib/future';

/** What blockOnSync needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  /** Wakes whatever is due, jumping ahead to the next timer; false when there was nothing to wake. */
  turn(): boolean;
}

/** Thrown by a blockOnSync called while another blockOnSync is polling its future. */
export class NestedRuntimeError extends Error {
  constructor() {
    super(
      'Cannot block_on from within a runtime: blockOnSync was called inside a poll, while this thread is ' +
        'driving a future. Blocking here would stop that future and everything it waits for. In async code, ' +
        'return Pending and let your waker be woken (or await), instead of blocking',
    );
    this.name = 'NestedRuntimeError';
  }
}

/** Thrown when the future is Pending, was not woken, and the reactor has nothing left to wake. */
export class WouldDeadlock extends Error {
  constructor() {
    super(
      'blockOnSync would deadlock: the future is Pending, nothing woke it, and the reactor has nothing left ' +
        'that could. A future backed by a Promise is woken by a Promise callback, which can only run after ' +
        'this synchronous call returns: await such a future instead of blocking on it',
    );
    this.name = 'WouldDeadlock';
  }
}

// True while some blockOnSync on this thread is inside fut.poll (Rust: tokio's runtime context,
// a thread-local). It lives at module level because the nested call has no other way to know.
let polling = false;

let woken = false;
export function blockOnSync<T>(fut: Future<T>, reactor: Reactor): T {
  if (polling) throw new NestedRuntimeError();
  woken = true; // the first poll needs no wake
  const waker: Waker = {
    wake() {
      woken = true;
    },
    clone: () => waker,
    willWakeSame: (other) => other === waker,
  };
  const cx: Context = { waker };
  for (;;) {
    if (woken) {
      // Cleared before the poll, so a wake during the poll (a yield) is kept for the next round.
      woken = false;
      let result: Poll<T>;
      polling = true;
      try {
        result = fut.poll(cx);
      } finally {
        polling = false;
      }
      if (result.ready) return result.value;
    } else if (!reactor.turn()) {
      throw new WouldDeadlock();
    }
  }
}
