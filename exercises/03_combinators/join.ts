// join: run two futures at the same time on one task.
//
// `join(a, b)` is a future that outputs `[outputOfA, outputOfB]`. The version
// below is correct about the values but not about the time: it polls `a`
// until `a` is done and only then starts polling `b`. Futures only make
// progress when polled, and `b` has not even registered its timer while `a`
// runs, so `join(sleep(100), sleep(150))` takes 250 ms instead of 150 ms.
//
// Goal: on every poll, poll each child that has not finished yet, with the
// same `cx`. Whichever child becomes ready wakes the one task that owns the
// join, and the next poll picks up its result:
//
//     poll 1   a: Pending   b: Pending   -> Pending   (2 timers registered)
//     t=100    a: Ready(x)  b: Pending   -> Pending   (x kept in a's slot)
//     t=150                 b: Ready(y)  -> Ready([x, y])
//
// Rules:
//   - keep one slot per child; a child whose slot is full is never polled
//     again (polling a finished future is a bug);
//   - return Ready only when both slots are full, always as [a's, b's],
//     whichever finished first;
//   - `drop()` drops the children that have not finished;
//   - once it has returned Ready, or been dropped, the join is used up: a
//     further poll throws (as polling a finished Rust future may panic) and
//     never reaches the children again;
//   - hand each child the `cx` of the current poll, never one kept from an
//     earlier poll: the join may have moved to another task since.
//
// TODO: rewrite `poll` so both children make progress on every poll.
// TODO: write `drop`.
//
// Rust equivalent: `futures::join!(a, b)` / `futures::future::join(a, b)`: one task, no
// allocation, each child polled whenever the join is polled and the child is not done.

import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

export function join<A, B>(a: Future<A>, b: Future<B>): Future<[A, B]> {
  let ra: { value: A } | undefined; // a's slot: empty until a is Ready
  let rb: { value: B } | undefined;
  return {
    poll(cx: Context): Poll<[A, B]> {
      if (ra === undefined) {
        const p = a.poll(cx);
        if (!p.ready) return Pending; // b is not polled until a is done
        ra = { value: p.value };
      }
      const p = b.poll(cx);
      if (!p.ready) return Pending;
      rb = { value: p.value };
      return Ready([ra.value, rb.value]);
    },
    drop() {
      // TODO
    },
  };
}
