// @rejects finishes when the slower child does
// Mistake: the shipped code with a drop: polls b only after a has finished, so the two sleeps run one after the other.
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
      a.drop?.();
      b.drop?.();
    },
  };
}
