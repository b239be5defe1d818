/*
 * Waker identity, shared by every waker the harness makes (spies, executor tasks, counting
 * wrappers).
 *
 * Rust's `Waker::will_wake` compares what a waker points at, not the handle itself, so a clone
 * "will wake the same" task as its original. Here each harness waker carries an identity token in
 * a WeakMap: clones share the token, and `willWakeSame` compares tokens. Counting wrappers
 * (`counted()`) sit between an executor's waker and a future; they are recorded as wrappers so
 * identity looks through them, and a wrapped learner waker still answers `willWakeSame` itself.
 */
import type { Waker } from './types.js';

const tokens = new WeakMap<Waker, object>();
const wrapped = new WeakMap<Waker, Waker>();

/** The waker underneath any harness counting wrappers (the waker itself when it is not wrapped). */
export function unwrapWaker(waker: Waker): Waker {
  let w = waker;
  for (let next = wrapped.get(w); next !== undefined; next = wrapped.get(w)) w = next;
  return w;
}

/**
 * True when `a` and `b` would wake the same task. Looks through harness wrappers and asks both
 * sides, so it works for harness wakers, learner wakers, and a mix.
 */
export function sameWaker(a: Waker, b: Waker): boolean {
  const ua = unwrapWaker(a);
  const ub = unwrapWaker(b);
  if (ua === ub) return true;
  const ta = tokens.get(ua);
  if (ta !== undefined) return ta === tokens.get(ub);
  return ua.willWakeSame(ub);
}

/** Whether `value` has the shape of a Waker; used to turn a learner's mix-up into a clear message. */
export function isWaker(value: unknown): value is Waker {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['wake'] === 'function' && typeof v['clone'] === 'function' && typeof v['willWakeSame'] === 'function';
}

/** Describes a value that should have been a waker, for error messages. */
export function notAWaker(where: string, value: unknown): TypeError {
  const hint =
    typeof value === 'object' && value !== null && 'waker' in value
      ? ' It looks like a Context: pass cx.waker (or cx.waker.clone()), not cx.'
      : '';
  return new TypeError(`${where} needs a Waker (an object with wake(), clone() and willWakeSame()), but got ${describe(value)}.${hint}`);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object with keys [${Object.keys(value).join(', ')}]`;
  return `a ${typeof value}`;
}

/**
 * Makes a harness waker with identity `token`. Every clone shares the token and the callbacks,
 * so counts kept by the callbacks cover the original and all its clones. `onWake` and `onClone`
 * are told which waker acted (0 the original, n the n-th clone made), for the timeline.
 * @internal
 */
export function makeWaker(token: object, onWake: (clone: number) => void, onClone: (clone: number) => void): Waker {
  const made = { n: 0 };
  const make = (index: number): Waker => {
    const waker: Waker = {
      wake: () => onWake(index),
      clone: () => {
        const n = ++made.n;
        onClone(n);
        return make(n);
      },
      willWakeSame: (other) => isWaker(other) && sameWaker(waker, other),
    };
    tokens.set(waker, token);
    return waker;
  };
  return make(0);
}

/**
 * Wraps `inner` so that each `wake()` is reported to `onWake` before being passed on. Clones are
 * wrapped too; identity (`willWakeSame`, `sameWaker`) is that of `inner`.
 * @internal
 */
export function wrapWaker(inner: Waker, onWake: () => void): Waker {
  const waker: Waker = {
    wake: () => {
      onWake();
      inner.wake();
    },
    clone: () => wrapWaker(inner.clone(), onWake),
    willWakeSame: (other) => isWaker(other) && sameWaker(inner, other),
  };
  wrapped.set(waker, inner);
  return waker;
}
