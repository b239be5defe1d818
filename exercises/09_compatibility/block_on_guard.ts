// block_on_guard: block only where nothing else needs the thread.
//
// Goal: `blockOnSync(fut, reactor)` is the one door from sync code into
// async code: it drives `fut` to the end on this thread and returns its
// value as a plain value (not a Promise). The version below polls in a
// tight loop, so a future that waits for a timer spins for ever.
//
// Blocking is safe only when nothing else needs this thread to make
// progress. Two cases break that rule, and a good block_on refuses them
// loudly instead of hanging:
//
//   1. Called from inside a poll. While blockOnSync polls a future, the
//      thread is driving async code. If that poll calls blockOnSync again,
//      the outer future and everything it waits for stop until the inner
//      one is done, and the inner one may be waiting for them. Throw
//      `NestedRuntimeError` (tokio panics the same way).
//   2. Nothing left that could wake the future. The future is Pending,
//      its waker was not woken, and `reactor.turn()` returns false. A
//      future backed by a Promise is the usual case: a Promise's callbacks
//      run only after the current synchronous code returns, and blocking
//      means never returning. Throw `WouldDeadlock`.
//
// Rules:
//   - poll once to start; after that poll only when the waker you handed
//     in was woken (by the future itself, or by a timer the reactor fired);
//     when nothing was woken, turn the reactor;
//   - a module-level "currently polling" flag tells a nested call that it
//     is inside a poll. It is true only while a poll runs, and false again
//     afterwards, even when the poll throws (rethrow what it threw);
//   - no Promises, async/await or JavaScript timers here, and not the
//     course library's runtime: this file is the runtime.
//
// TODO: a waker that sets a `woken` flag (with clone and willWakeSame).
// TODO: the loop: poll when woken (clear the flag first), else turn the
//       reactor, else throw WouldDeadlock.
// TODO: the nested-runtime guard around every poll.
//
// Rust equivalent: `futures::executor::block_on` and tokio's
// `Runtime::block_on`. Tokio panics with "Cannot start a runtime from
// within a runtime. This happens because a function (like `block_on`)
// attempted to block the current thread while the thread is being used to
// drive asynchronous tasks."

import { type Context, type Future, noopWaker } from '../_lib/future';

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

export function blockOnSync<T>(fut: Future<T>, reactor: Reactor): T {
  // Polls again at once, whether or not anyone woke the future; the reactor is never turned.
  void reactor;
  const cx: Context = { waker: noopWaker };
  for (;;) {
    const result = fut.poll(cx);
    if (result.ready) return result.value;
  }
}
