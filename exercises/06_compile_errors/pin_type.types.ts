// Type checks for pin_type: compiled together with your file, never run.
//
// How to read a failure here:
// - "this line should fail to type-check with TSnnnn, but it compiles" means
//   something the lesson relies on was loosened: poll no longer demands a
//   Pin, SelfRef lost its PhantomPinned, or boxPin's type promises too little.
// - an `expectTypeOf(boxPin(…))` line that fails says what boxPin returns
//   now; it should be exactly `Pin<F>` for the F you passed in.
import { expectTypeOf } from 'vitest';
import { type Context, type Poll } from '../_lib/future';
import { pinNew, type Pin } from '../_lib/pinning';
import { Plain, SelfRef, blockOnBoth, boxPin } from './pin_type';

declare const cx: Context;

// poll needs a pinned receiver, even for an Unpin future.
// @ts-expect-error TS2684 Plain must be pinned (pinNew is free) before it is polled
export const unpinnedPlain = new Plain(1).poll(cx);
// @ts-expect-error TS2684 SelfRef must be pinned before it is polled
export const unpinnedSelfRef = new SelfRef('s').poll(cx);

// pinNew is only for Unpin futures.
// @ts-expect-error TS2345 SelfRef holds PhantomPinned, so it is not Unpin and pinNew refuses it
export const pinNewSelfRef = pinNew(new SelfRef('s'));

// What must compile: pinNew for Plain, boxPin for anything.
export const plainPoll: Poll<number> = pinNew(new Plain(2)).poll(cx);
export const boxedPoll: Poll<string> = boxPin(new SelfRef('t')).poll(cx);
export const boxedPlainPoll: Poll<number> = boxPin(new Plain(3)).poll(cx);

expectTypeOf(boxPin(new SelfRef('u'))).toEqualTypeOf<Pin<SelfRef>>();
expectTypeOf(boxPin(new Plain(4))).toEqualTypeOf<Pin<Plain>>();
expectTypeOf(blockOnBoth).returns.toEqualTypeOf<[number, string]>();
// boxPin takes objects only (a number cannot be pinned in place).
// @ts-expect-error TS2345 boxPin's parameter is an object type
export const boxedNumber = boxPin(5);
