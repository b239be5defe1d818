// @rejects a self-wake is polled again without turning the reactor
// Mistake: tracks the woken flag but always turns the reactor before polling again, so a yield waits for the next timer.
import type { Context, Future, Waker } from '../_lib/future';

export interface Reactor {
  turn(): boolean;
}

export class Deadlock extends Error {
  constructor() {
    super('deadlock: the future is Pending and nothing is left that could wake it');
    this.name = 'Deadlock';
  }
}

export function blockOn<T>(fut: Future<T>, reactor: Reactor): T {
  let woken = true;
  const waker: Waker = {
    wake() {
      woken = true;
    },
    clone: () => waker,
    willWakeSame: (o) => o === waker,
  };
  const cx: Context = { waker };
  for (;;) {
    if (woken) {
      woken = false;
      const result = fut.poll(cx);
      if (result.ready) return result.value;
    }
    if (!reactor.turn() && !woken) throw new Deadlock();
  }
}
