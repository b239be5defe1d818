// pin_type: reference solution.
//
// Rust equivalent: `Pin::new(&mut plain)` for the Unpin future, `Box::pin(self_ref)` for the other.

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
export function boxPin<F extends object>(f: F): Pin<F> {
  // The one promise the type checker cannot check: from here on, f never moves.
  return pin(f) as Pin<F>;
}

/** Polls each future until it is Ready; `cx` must wake (the SelfRef needs two polls). */
export function blockOnBoth(a: Plain, b: SelfRef, cx: Context): [number, string] {
  let ra: Poll<number> = Pending;
  let rb: Poll<string> = Pending;
  const pa = pinNew(a); // Unpin: pinning is free
  const pb = boxPin(b); // !Unpin: needs the box
  for (let i = 0; i < 10 && !(ra.ready && rb.ready); i++) {
    if (!ra.ready) ra = pa.poll(cx);
    if (!rb.ready) rb = pb.poll(cx);
  }
  if (!ra.ready || !rb.ready) throw new Error('blockOnBoth: a future did not finish in 10 polls');
  return [ra.value, rb.value];
}
