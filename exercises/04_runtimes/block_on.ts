// block_on: run one future to the end, and sleep while it waits.
//
// Goal: `blockOn(fut, reactor)` is the door from ordinary code into async
// code. It drives a single future until it is Ready and returns the value.
// The version below polls in a tight loop with a waker that does nothing. It
// burns the CPU while the future waits, and since it never turns the reactor,
// no timer ever fires: a sleeping future sleeps forever.
//
// The rules a real `blockOn` follows:
//   - poll the future once to start it;
//   - after that, poll it again only when its waker has been woken, by the
//     future itself (a "yield") or by the reactor (a timer fired). Two wakes
//     before the next poll still mean one poll;
//   - when nothing was woken, call `reactor.turn()`: it jumps to the next
//     timer and wakes whoever is waiting for it;
//   - when nothing was woken and `turn()` returns false, nothing ever will
//     be: throw `Deadlock` instead of waiting forever.
//
// TODO: make a waker whose `wake()` sets a `woken` flag. It needs `clone()`
//       (returning a waker for the same flag) and `willWakeSame()` too.
// TODO: loop: poll when woken (clear the flag first), otherwise turn the
//       reactor, and throw `Deadlock` when `turn()` returns false.
//
// Rust equivalent: `futures::executor::block_on(fut)` parks the thread until
// the waker unparks it; tokio's `Runtime::block_on` also drives its reactor.

import { type Context, type Future, noopWaker } from '../_lib/future';

/** What `blockOn` needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  /**
   * Wakes whatever is due, jumping ahead to the next timer if nothing is.
   * Returns false when there was nothing at all to wake.
   */
  turn(): boolean;
}

/** Thrown when the future is Pending and nothing can ever wake it. */
export class Deadlock extends Error {
  constructor() {
    super(
      'deadlock: the future is Pending and nothing is left that could wake it. If something should have ' +
        'woken it, look for a lost wake: a woken flag cleared after the poll instead of before, or a ' +
        'waker clone that sets a flag of its own',
    );
    this.name = 'Deadlock';
  }
}

export function blockOn<T>(fut: Future<T>, reactor: Reactor): T {
  // A waker that does nothing: we cannot tell whether anyone asked for a poll,
  // so we poll again straight away, forever. `reactor` is never used.
  void reactor;
  const cx: Context = { waker: noopWaker };
  for (;;) {
    const result = fut.poll(cx);
    if (result.ready) return result.value;
  }
}
