// Type checks for poll_types: compiled together with your file, never run.
// Lines marked `@ts-expect-error TSnnnn` must fail with exactly that error;
// every other line must compile.
//
// How to read a failure here:
// - an error on a line that must compile names your type and the course
//   library's side by side: `import("exercises/01_future_trait/poll_types").Poll`
//   is yours, `import("exercises/_lib/future").Poll` the library's. Read the
//   last, most indented lines first: they say which property differs.
// - "this line should fail to type-check with TSnnnn, but it compiles" means
//   your types are too loose: they accept what the comment on that line says
//   they must refuse (`any` and optional members are the usual cause).
// - "expected error TSnnnn on this line but got TSmmmm" means the line fails,
//   but for another reason than the lesson asks for.
import * as lib from '../_lib/future';
import { Pending, Ready, type Context, type Future, type Poll, type Waker } from './poll_types';

// ---- What must compile -------------------------------------------------

// Checking `ready` narrows a Poll: on the Ready side, `value` is a T.
export function valueOr<T>(p: Poll<T>, fallback: T): T {
  if (p.ready) return p.value;
  return fallback;
}
export const three: number = valueOr(Ready(3), 0);

// The one Pending fits a Poll of any type.
export const notYetNumber: Poll<number> = Pending;
export const notYetText: Poll<string> = Pending;

// A Waker can be woken, cloned and compared; a Context carries one.
export const noop: Waker = {
  wake() {},
  clone: () => noop,
  willWakeSame: (other: Waker) => other === noop,
};
export const cx: Context = { waker: noop };
export const sameTask: boolean = cx.waker.clone().willWakeSame(cx.waker);

// A future is any object with poll(cx) returning a Poll of its output.
export const answer: Future<number> = {
  poll(c: Context): Poll<number> {
    c.waker.clone();
    return Ready(42);
  },
};
export const firstPoll: Poll<number> = answer.poll(cx);
export const cancellable: Future<string> = { poll: () => Pending, drop() {} };

// Your types have the same shapes as the course library's (exercises/_lib/future.ts),
// so later exercises can mix the two.
export const toLibPoll: lib.Poll<number> = firstPoll;
export const fromLibPoll: Poll<number> = lib.Ready(1);
export const fromLibPending: Poll<number> = lib.Pending;
export const toLibWaker: lib.Waker = noop;
export const fromLibWaker: Waker = lib.noopWaker;
export const toLibContext: lib.Context = cx;
export const toLibFuture: lib.Future<number> = answer;
export const fromLibFuture: Future<number> = lib.ready(7);

// ---- What must be refused ----------------------------------------------

export function peek(p: Poll<number>): number | undefined {
  // @ts-expect-error TS2339 a Poll has no `value` until you have checked `ready`
  return p.value;
}

// @ts-expect-error TS2322 a Future<number> cannot produce a string
export const wrongOutput: Future<number> = { poll: () => Ready('x') };

// @ts-expect-error TS2554 poll needs the Context: without it nobody could be woken
export const noContext = answer.poll();

// @ts-expect-error TS2741 a Context without a waker is useless to a pending future
export const emptyContext: Context = {};

// @ts-expect-error TS2739 a Waker must also clone and compare, not only wake
export const wakeOnly: Waker = { wake() {} };
