// block_on: reference solution.
//
// Rust equivalent: `futures::executor::block_on(fut)` parks the thread until
// the waker unparks it; tokio's `Runtime::block_on` also drives its reactor.

import type { Context, Future, Waker } from '../_lib/future';

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
  // Starts true: the first poll needs no wake.
  let woken = true;
  // Every clone is the same object, so they all set the same flag. In Rust the
  // waker would unpark this thread; here "parked" means "turning the reactor".
  const waker: Waker = {
    wake() {
      woken = true;
    },
    clone() {
      return waker;
    },
    willWakeSame(other) {
      return other === waker;
    },
  };
  const cx: Context = { waker };
  for (;;) {
    if (woken) {
      // Clear the flag *before* polling: a wake during the poll (a yield)
      // must lead to one more poll.
      woken = false;
      const result = fut.poll(cx);
      if (result.ready) return result.value;
    } else if (!reactor.turn()) {
      // Not woken, and the reactor had nobody to wake: nothing ever will.
      throw new Deadlock();
    }
  }
}
