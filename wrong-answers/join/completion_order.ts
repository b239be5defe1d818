// @rejects keeps the output order
// Mistake: pushes each output when its child finishes, so the result follows finishing order instead of argument order.
import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

export function join<A, B>(a: Future<A>, b: Future<B>): Future<Array<A | B>> {
  // One slot per child. `{ value }` rather than the bare value, so a child whose output is
  // `undefined` (a sleep, say) still counts as finished.
  let ra: { value: A } | undefined;
  let rb: { value: B } | undefined;
  let finished = false;
  const order: Array<A | B> = [];
  return {
    poll(cx: Context): Poll<Array<A | B>> {
      if (finished) throw new Error('join polled after it returned Ready (or was dropped)');
      // Poll every child that is still running, each with the same cx: both get this task's
      // waker, so whichever finishes first wakes us, and we look at both again.
      // Collects outputs in the order the children finish.
      if (ra === undefined) {
        const p = a.poll(cx);
        if (p.ready) {
          ra = { value: p.value };
          order.push(p.value);
        }
      }
      if (rb === undefined) {
        const p = b.poll(cx);
        if (p.ready) {
          rb = { value: p.value };
          order.push(p.value);
        }
      }
      // Pending is safe here: a child that is still running returned Pending to us just now,
      // so it holds the waker.
      if (ra === undefined || rb === undefined) return Pending;
      finished = true;
      return Ready(order);
    },
    drop() {
      // Cancelling the join cancels whatever is still running inside it. (Rust drops both
      // fields of the Join struct; a finished child is already gone.)
      if (finished) return;
      finished = true;
      if (ra === undefined) a.drop?.();
      if (rb === undefined) b.drop?.();
    },
  };
}
