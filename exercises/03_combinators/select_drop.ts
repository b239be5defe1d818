// select_drop: wait for the first of two futures, and cancel the other.
//
// `select(a, b)` finishes as soon as either child does and tells you which:
// `{ which: 'left', value }` or `{ which: 'right', value }`. The version
// below gets that part right, then walks away from the loser. The loser is
// still alive: its timer stays registered, it can still wake the task, and
// whatever it holds (a socket, a buffer, a lock) stays held.
//
// In Rust the loser is dropped when `select!` finishes, and dropping a
// future is how you cancel it. In this course that is its `drop()` method.
//
//     poll:  a.poll(cx) ─ Ready(v) ──▶ b.drop(); Ready({ which: 'left', value: v })
//               │
//            Pending
//               ▼
//            b.poll(cx) ─ Ready(v) ──▶ a.drop(); Ready({ which: 'right', value: v })
//               │
//            Pending ───────────────▶ Pending
//
// Rules:
//   - poll `a` first on every poll (a "biased" select): when both are ready
//     in the same poll, `a` wins and `b` is not polled;
//   - drop the loser exactly once, as soon as the winner is known; never
//     drop a child that has not lost (it may still produce its value);
//   - `drop()` on the select itself, before it finished, drops both
//     children; calling it again does nothing more;
//   - poll the children with the `cx` of this poll (the select may have
//     moved to another task since the last one), and keep all state in
//     the select you return, so several selects can run at once.
//
// TODO: drop the loser when a winner is found.
// TODO: write `drop` for the select itself.
//
// Rust equivalent: `futures::select_biased!` / `tokio::select! { biased; … }`: the losing branch is
// dropped, which is why "cancellation safety" matters for what you put in a select.

import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

/** What `select` outputs. Rust: `futures::future::Either<A, B>`. */
export type Selected<A, B> = { which: 'left'; value: A } | { which: 'right'; value: B };

export function select<A, B>(a: Future<A>, b: Future<B>): Future<Selected<A, B>> {
  return {
    poll(cx: Context): Poll<Selected<A, B>> {
      const pa = a.poll(cx);
      if (pa.ready) return Ready({ which: 'left', value: pa.value });
      const pb = b.poll(cx);
      if (pb.ready) return Ready({ which: 'right', value: pb.value });
      return Pending;
    },
    drop() {
      // TODO
    },
  };
}
