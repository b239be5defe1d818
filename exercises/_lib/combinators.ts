// The course library: reference versions of the combinators you write in 03_combinators.
//
// Later exercises import these (`import { join, select } from '../_lib/combinators'`) instead of
// your own solutions, so a slip in an earlier exercise never breaks a later one. Checks always use
// this pristine copy; editing it in your workspace changes nothing.
//
// Rust equivalent: `futures::future::{join, select}` and the `join!` / `select!` macros.

import { type Context, type Future, type Poll, Pending, Ready } from './future';

/**
 * Runs two futures at the same time and outputs both results, in argument order.
 * Rust: `futures::join!(a, b)` / `futures::future::join(a, b)`.
 *
 * Each poll polls every child that has not finished yet, with the same `cx`, so whichever child
 * becomes ready wakes this one task. A finished child's output waits in its slot and the child is
 * never polled again. `drop()` drops the children that are still running.
 */
export function join<A, B>(a: Future<A>, b: Future<B>): Future<[A, B]> {
  // A slot is empty (`undefined`) until its child is Ready; `{ value }` keeps `undefined` outputs apart.
  let ra: { value: A } | undefined;
  let rb: { value: B } | undefined;
  let finished = false;
  return {
    poll(cx: Context): Poll<[A, B]> {
      if (finished) throw new Error('join polled after it returned Ready (or was dropped)');
      if (ra === undefined) {
        const p = a.poll(cx);
        if (p.ready) ra = { value: p.value };
      }
      if (rb === undefined) {
        const p = b.poll(cx);
        if (p.ready) rb = { value: p.value };
      }
      if (ra === undefined || rb === undefined) return Pending; // the pending child holds cx.waker
      finished = true;
      return Ready([ra.value, rb.value]);
    },
    drop() {
      if (finished) return;
      finished = true;
      if (ra === undefined) a.drop?.();
      if (rb === undefined) b.drop?.();
    },
  };
}

/** What `select` outputs: which child finished first, and its value. Rust: `future::Either`. */
export type Selected<A, B> = { which: 'left'; value: A } | { which: 'right'; value: B };

/**
 * Waits for whichever of two futures finishes first, then cancels the other by dropping it.
 * Rust: `futures::select_biased!` / `tokio::select! { biased; … }` with two branches.
 *
 * Biased: `a` is polled first on every poll, so when both are ready in the same poll, `a` wins.
 * `drop()` before the end drops both children. Each child is dropped at most once.
 */
export function select<A, B>(a: Future<A>, b: Future<B>): Future<Selected<A, B>> {
  let finished = false;
  return {
    poll(cx: Context): Poll<Selected<A, B>> {
      if (finished) throw new Error('select polled after it returned Ready (or was dropped)');
      const pa = a.poll(cx);
      if (pa.ready) {
        finished = true;
        b.drop?.(); // the loser is cancelled: its timers and wakers go away now
        return Ready({ which: 'left', value: pa.value });
      }
      const pb = b.poll(cx);
      if (pb.ready) {
        finished = true;
        a.drop?.();
        return Ready({ which: 'right', value: pb.value });
      }
      return Pending;
    },
    drop() {
      if (finished) return;
      finished = true;
      a.drop?.();
      b.drop?.();
    },
  };
}
