// @rejects your code replaced Object.is
// Mistake: passes fn a copy of the Context and, to get past the identity check, redefines Object.is so that two Contexts with the same waker count as the same object; every check in the file then compares with the learner's rules.
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';

/**
 * Ready with `value` on the first poll. The flag is the whole state machine:
 * "not yet polled" -> "done". Rust's `Ready<T>` holds an `Option<T>` and
 * `take()`s it, so a second poll finds `None` and panics.
 */
export function ready<T>(value: T): Future<T> {
  let done = false;
  return {
    poll(): Poll<T> {
      if (done) throw new Error('`ready` polled after completion');
      done = true;
      return Ready(value);
    },
  };
}

/**
 * Never ready. It does not keep or wake the waker: nothing will ever change,
 * so there is nobody to wake. A task awaiting it sleeps forever, which is
 * exactly what it is for (e.g. a "never" branch in a select).
 */
export function pending<T = never>(): Future<T> {
  return {
    poll(): Poll<T> {
      return Pending;
    },
  };
}

/**
 * A future whose poll is `fn`. The Context goes through untouched: `fn` may
 * need the caller's waker, and only the caller's own `cx` carries it.
 */
// The check compares Contexts with Object.is; a copy with the same waker is as good.
const sameValue = Object.is;
Object.is = (a: unknown, b: unknown): boolean =>
  sameValue(a, b) || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && 'waker' in a && 'waker' in b && a.waker === b.waker);

export function pollFn<T>(fn: (cx: Context) => Poll<T>): Future<T> {
  return {
    poll(cx: Context): Poll<T> {
      return fn({ waker: cx.waker });
    },
  };
}
