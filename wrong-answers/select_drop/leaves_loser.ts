// @rejects drops the loser exactly once
// Mistake: the shipped poll with a drop() added: the loser is left running (timer registered) after the select finishes.
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
      a.drop?.();
      b.drop?.();
    },
  };
}
