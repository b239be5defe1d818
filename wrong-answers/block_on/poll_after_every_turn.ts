// @rejects polls only after its own waker was woken
// Mistake: polls again after every reactor turn, even when the turn woke only some other task.
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
  for (;;) {
    const result = fut.poll(cx);
    if (result.ready) return result.value;
    if (!reactor.turn()) throw new Deadlock();
  }
}
