// @rejects throws Deadlock when nothing can wake it
// Mistake: ignores turn()'s false and keeps turning, so a future nobody will wake hangs the program.
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
    } else {
      reactor.turn();
    }
  }
}
