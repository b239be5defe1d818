// @rejects every Err is thrown in, whatever the error
// Mistake: keeps the error to throw in a variable and takes `undefined` to mean "no error", so Err(undefined) (what a promise rejected with no reason gives) resumes the generator as if the lookup had succeeded.
// Rust equivalent: `.await` is a `yield` inside a coroutine (`std::ops::Coroutine`, unstable);
// in JS an `async function` is a generator plus a promise driver like this one.

import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

/** What a fallible future outputs. Rust: `Result<T, E>`. */
export type Result<T, E = unknown> = { ok: true; value: T } | { ok: false; error: E };

export function Ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function Err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

/**
 * A generator function standing in for an async function: it yields the futures it waits for
 * (each outputs a Result) and returns its output.
 */
export type GenFn<T> = () => Generator<Future<Result<unknown>>, T, unknown>;

export function fromGenerator<T>(genFn: GenFn<T>): Future<Result<T>> {
  // The driver's own state machine: not started, running (waiting on `current`), finished.
  // `Iterator` rather than `Generator`, so `return?.()` needs no made-up return value.
  let gen: Iterator<Future<Result<unknown>>, T, unknown> | undefined;
  let current: Future<Result<unknown>> | undefined;
  let finished = false;

  return {
    poll(cx: Context): Poll<Result<T>> {
      if (finished) throw new Error('fromGenerator: polled after it returned Ready (or was dropped)');
      // What to feed the generator next: a value, or an error to throw in.
      let value: unknown;
      let error: unknown;
      if (gen === undefined) {
        gen = genFn(); // lazy: the body starts on the first poll, not when the future is made
      }
      for (;;) {
        if (current !== undefined) {
          const p = current.poll(cx);
          // The child stored cx.waker; it will wake us. Nothing else to do now.
          if (!p.ready) return Pending;
          current = undefined;
          if (p.value.ok) value = p.value.value;
          else error = p.value.error;
        }
        let step: IteratorResult<Future<Result<unknown>>, T>;
        try {
          if (error === undefined) {
            // next(v) makes `v` the value of the paused `yield` expression.
            step = gen.next(value);
          } else if (gen.throw !== undefined) {
            // throw(e) resumes the generator by throwing `e` at the paused `yield`.
            step = gen.throw(error);
          } else {
            throw error;
          }
        } catch (error) {
          // The generator did not catch it (or threw on its own): that is our output.
          finished = true;
          return Ready(Err(error));
        }
        if (step.done === true) {
          finished = true;
          return Ready(Ok(step.value));
        }
        // The generator yielded a new future to wait on: poll it in this same poll.
        current = step.value;
        value = undefined;
        error = undefined;
      }
    },
    drop() {
      // Cancel what we are waiting on, then unwind the generator: return() resumes it as if the
      // `yield` were a `return`, so its `finally` blocks run, once. Rust runs destructors instead.
      const child = current;
      current = undefined;
      child?.drop?.();
      if (gen !== undefined && !finished) {
        finished = true;
        gen.return?.();
      }
      finished = true;
    },
  };
}
