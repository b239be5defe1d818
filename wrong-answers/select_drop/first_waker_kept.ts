// @rejects wakes the task that polled it last
// Mistake: keeps the Context of the first poll and polls the children with it ever after, so when the select moves to another task, the old task is woken when a child is ready.
//
// Rust equivalent: `futures::select_biased!` / `tokio::select! { biased; … }`: the losing branch is
// dropped, which is why "cancellation safety" matters for what you put in a select.

import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

/** What `select` outputs. Rust: `futures::future::Either<A, B>`. */
export type Selected<A, B> = { which: 'left'; value: A } | { which: 'right'; value: B };

export function select<A, B>(a: Future<A>, b: Future<B>): Future<Selected<A, B>> {
  // Once a winner is known (or the select itself is dropped) we own nothing any more: the loser
  // has been dropped and the winner has handed over its value.
  let finished = false;
  let first: Context | undefined; // the children report to the first poller
  return {
    poll(cx: Context): Poll<Selected<A, B>> {
      if (finished) throw new Error('select polled after it returned Ready (or was dropped)');
      first ??= cx;
      const ctx = first;
      // Biased: a is always asked first, so when both could finish in this poll, a wins and b is
      // not even polled.
      const pa = a.poll(ctx);
      if (pa.ready) {
        finished = true;
        // Cancel the loser now, not "eventually": its timer is deregistered and it will never
        // wake this task again.
        b.drop?.();
        return Ready({ which: 'left', value: pa.value });
      }
      const pb = b.poll(ctx);
      if (pb.ready) {
        finished = true;
        a.drop?.();
        return Ready({ which: 'right', value: pb.value });
      }
      // Both returned Pending, so both hold cx.waker: whichever finishes first wakes us.
      return Pending;
    },
    drop() {
      // Cancelling the select cancels both branches. After a finish there is nothing left to drop.
      if (finished) return;
      finished = true;
      a.drop?.();
      b.drop?.();
    },
  };
}
