// @rejects a double wake means one poll
// Mistake: counts wakes instead of keeping a flag and polls once per wake, so a future woken twice before its poll is polled twice.
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
    super('deadlock: the future is Pending and nothing is left that could wake it');
    this.name = 'Deadlock';
  }
}

export function blockOn<T>(fut: Future<T>, reactor: Reactor): T {
  // One poll per wake; spawning counts as the first.
  let wakes = 1;
  // Every clone is the same object, so they all set the same flag. In Rust the
  // waker would unpark this thread; here "parked" means "turning the reactor".
  const waker: Waker = {
    wake() {
      wakes += 1;
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
    if (wakes > 0) {
      wakes -= 1;
      const result = fut.poll(cx);
      if (result.ready) return result.value;
    } else if (!reactor.turn()) {
      // Not woken, and the reactor had nobody to wake: nothing ever will.
      throw new Deadlock();
    }
  }
}
