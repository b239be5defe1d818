// @rejects builds the loop by hand
// Mistake: hands the work to the course library's Executor (imported as ./../_lib/runtime, a spelling the import ban did not know) instead of writing the loop.
//
// Rust equivalent: `futures::executor::block_on(fut)` parks the thread until
// the waker unparks it; tokio's `Runtime::block_on` also drives its reactor.

import type { Future } from '../_lib/future';
import { Deadlock, Executor } from './../_lib/runtime';

export { Deadlock };

/** What `blockOn` needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  /**
   * Wakes whatever is due, jumping ahead to the next timer if nothing is.
   * Returns false when there was nothing at all to wake.
   */
  turn(): boolean;
}


export function blockOn<T>(fut: Future<T>, reactor: Reactor): T {
  return new Executor(reactor).blockOn(fut);
}
