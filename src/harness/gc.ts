/*
 * What the garbage collector says is still alive: the one test of retention that closures,
 * `#private` fields, WeakMaps and module-level variables cannot hide from. A walk (reachable.ts)
 * names *where* something is held; this says *whether* it is.
 *
 * The engine's workers do not start with --expose-gc. V8 still accepts the flag at run time, and a
 * fresh context then has `gc` (checked under the workers' permission model on Node 20). The flag
 * is switched back off at once, so learner code created later sees no `gc`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setImmediate as realSetImmediate } from 'node:timers';
import { pristine } from './pristine.js';

const P = pristine;
let collect: (() => void) | undefined;

/** A full, forced garbage collection. */
export function forceGc(): void {
  if (collect === undefined) {
    const exposed = (globalThis as { gc?: unknown }).gc;
    if (typeof exposed === 'function') {
      collect = exposed as () => void;
    } else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
      setFlagsFromString('--no-expose-gc');
    }
  }
  collect();
}

// A WeakRef's target stays alive until the job that made or read it ends, so a collection only
// counts after a real macrotask turn; node:timers' own setImmediate, because checks may fake timers.
const turn = () => new P.Promise.Promise<void>((resolve) => realSetImmediate(resolve));

/** Whether `ref`'s target has been collected, after up to `rounds` forced collections. */
export async function collected(ref: WeakRef<object>, rounds = 3): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    await turn();
    forceGc();
    await turn();
    if (P.deref(ref) === undefined) return true;
  }
  return false;
}

/** What `retainedAfter` reports. */
export interface Retention<T> {
  /** True when the input was still alive after forced collections: something still holds it. */
  retained: boolean;
  /** What `run` returned, kept alive on purpose: retention *through it* is what is being asked. */
  result: T;
}

/**
 * Makes an input, hands it to `run` and drops every reference the check holds, then forces
 * collections and reports whether the input survived: anything `result` holds (its fields, closures,
 * `#private` fields), a WeakMap keyed by it, or a module-level variable keeps it alive.
 * `makeInput` must not keep a reference to the input itself.
 *
 * ```ts
 * const { retained, result: fut } = await retainedAfter(() => makeBytes(seed), (raw) => {
 *   const f = new ParseAndSend(raw, sender);
 *   pollWith(f, spy);
 *   return f;
 * });
 * expect(retained, 'the paused future still keeps the input buffer alive').toBe(false);
 * ```
 */
export async function retainedAfter<I extends object, T>(makeInput: () => I, run: (input: I) => T): Promise<Retention<T>> {
  // Made and used inside a function that returns, so no local of this frame holds the input.
  const start = (): { ref: WeakRef<I>; result: T } => {
    const input = makeInput();
    return { ref: new P.ctors.WeakRef(input), result: run(input) };
  };
  const { ref, result } = start();
  const gone = await collected(ref);
  return { retained: !gone, result };
}
