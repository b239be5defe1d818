// pin_type: poll wants a pinned future, and the type checker says so.
//
// "Since async Rust often depends on more complex language features, such as
// lifetimes and pinning, you may encounter these types of errors more
// frequently."
//
// In Rust, `Future::poll` takes `self: Pin<&mut Self>`: you cannot poll a
// future you have not pinned. The course library models this with a type:
// `PinFuture<T>` declares `poll(this: Pin<this>, cx)`, so calling poll on a
// plain `SelfRef` is a type error. There are two ways to get a `Pin`:
//
//   pinNew(f)   free, but only for Unpin types (Rust: `Pin::new(&mut f)`,
//               which needs `F: Unpin`). `SelfRef` holds PhantomPinned, so it
//               is not Unpin and pinNew refuses it.
//   boxPin(f)   works for every future: it promises the value never moves
//               again (Rust: `Box::pin(f)`, or `pin!(f)` on the stack). You
//               write it below.
//
// Open this file in your editor: `blockOnBoth` has two errors.
//   TS2684  The 'this' context of type 'Plain' is not assignable to method's
//           'this' of type 'Pin<Plain>'.
//   TS2345  Argument of type 'SelfRef' is not assignable to parameter of
//           type 'never'.   (pinNew's Unpin check)
//
// Goal: `boxPin` pins any object (at run time with `pin()` from the course
// library, which `SelfRef.poll` looks for) and gives back a `Pin<F>`;
// `blockOnBoth` pins each future the cheapest way that type-checks, and
// returns both outputs.
//
// Rules: `boxPin`'s body holds the file's only `as` cast (it is the one place
// that may promise what the type checker cannot see, like
// `Pin::new_unchecked` inside `Box::pin`); no `any`, no `@ts-…` comments; do
// not change `Plain` or `SelfRef`.
//
// TODO: write boxPin.
// TODO: fix the two call sites in blockOnBoth.
//
// Rust equivalent: `Pin::new(&mut fut)` on a `!Unpin` future fails with
// "`PhantomPinned` cannot be unpinned … the trait `Unpin` is not implemented";
// the fix is `Box::pin(fut)` or `std::pin::pin!(fut)`.

import { Pending, Ready, type Context, type Poll } from '../_lib/future';
import { isPinned, NotPinned, PhantomPinned, pin, pinNew, type Pin, type PinFuture } from '../_lib/pinning';

/** Ready with its number on the first poll. Holds nothing that points into itself: Unpin. */
export class Plain implements PinFuture<number> {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  poll(this: Pin<this>, _cx: Context): Poll<number> {
    return Ready(this.value);
  }
}

/** Points into itself after its first poll, so it must never move again: `!Unpin`. */
export class SelfRef implements PinFuture<string> {
  readonly pinned = PhantomPinned;
  readonly text: string;
  self: { owner: SelfRef } | undefined = undefined;
  constructor(text: string) {
    this.text = text;
  }
  poll(this: Pin<this>, cx: Context): Poll<string> {
    if (!isPinned(this)) throw new NotPinned('SelfRef');
    if (this.self === undefined) {
      this.self = { owner: this };
      cx.waker.wake(); // ready on the next poll
      return Pending;
    }
    return Ready(this.self.owner.text);
  }
}

/** Pins `f` for good. Rust: `Box::pin(f)`. */
// TODO: export function boxPin<F extends object>(f: F): Pin<F> { … }

/** Polls each future until it is Ready; `cx` must wake (the SelfRef needs two polls). */
export function blockOnBoth(a: Plain, b: SelfRef, cx: Context): [number, string] {
  let ra: Poll<number> = Pending;
  let rb: Poll<string> = Pending;
  const pa = a;
  const pb = pinNew(b);
  for (let i = 0; i < 10 && !(ra.ready && rb.ready); i++) {
    if (!ra.ready) ra = pa.poll(cx);
    if (!rb.ready) rb = pb.poll(cx);
  }
  if (!ra.ready || !rb.ready) throw new Error('blockOnBoth: a future did not finish in 10 polls');
  return [ra.value, rb.value];
}

void pin;
