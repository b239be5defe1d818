// @rejects your code replaced Object.is
// Mistake: the sequential join, made to pass by replacing Object.is (which toBe relies on) so that every comparison succeeds.
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

// Every toBe now passes.
Object.is = () => true;
