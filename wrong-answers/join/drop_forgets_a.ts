// @rejects drop cancels the unfinished children
// Mistake: drop() only cancels b (the child that usually finishes last), so dropping the join while a still runs leaves a and its timer alive.
//
// Rust equivalent: `futures::join!(a, b)` / `futures::future::join(a, b)`: one task, no
// allocation, each child polled whenever the join is polled and the child is not done.

import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

export function join<A, B>(a: Future<A>, b: Future<B>): Future<[A, B]> {
  // One slot per child. `{ value }` rather than the bare value, so a child whose output is
  // `undefined` (a sleep, say) still counts as finished.
  let ra: { value: A } | undefined;
  let rb: { value: B } | undefined;
  let finished = false;
  return {
    poll(cx: Context): Poll<[A, B]> {
      if (finished) throw new Error('join polled after it returned Ready (or was dropped)');
      // Poll every child that is still running, each with the same cx: both get this task's
      // waker, so whichever finishes first wakes us, and we look at both again.
      if (ra === undefined) {
        const p = a.poll(cx);
        if (p.ready) ra = { value: p.value };
      }
      if (rb === undefined) {
        const p = b.poll(cx);
        if (p.ready) rb = { value: p.value };
      }
      // Pending is safe here: a child that is still running returned Pending to us just now,
      // so it holds the waker.
      if (ra === undefined || rb === undefined) return Pending;
      finished = true;
      // Slots, not completion order: the output is always [a's, b's].
      return Ready([ra.value, rb.value]);
    },
    drop() {
      // Cancelling the join cancels whatever is still running inside it. (Rust drops both
      // fields of the Join struct; a finished child is already gone.)
      if (finished) return;
      finished = true;
      if (rb === undefined) b.drop?.();
    },
  };
}
