// @rejects sleeps until woken: two timers take exactly 3 polls
// Mistake: polls in a loop with a waker that does nothing, turning the reactor now and then; every poll is a guess.
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
  const waker: Waker = { wake() {}, clone: () => waker, willWakeSame: (o) => o === waker };
  const cx: Context = { waker };
  for (let i = 1; ; i++) {
    const result = fut.poll(cx);
    if (result.ready) return result.value;
    if (i % 100 === 0 && !reactor.turn()) throw new Deadlock();
  }
}
