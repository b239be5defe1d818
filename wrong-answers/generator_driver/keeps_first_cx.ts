// @rejects polls the awaited future with the latest waker
// Mistake: keeps the Context of the first poll and polls every awaited future with it, so after the driver moves to another task (a join or select polls it from there) the timers still wake the first task.
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
  // The Context the awaited futures are polled with, taken on the first poll.
  let taskCx: Context | undefined;

  return {
    poll(firstCx: Context): Poll<Result<T>> {
      if (finished) throw new Error('fromGenerator: polled after it returned Ready (or was dropped)');
      taskCx ??= firstCx;
      const cx = taskCx;
      // What to feed the generator next. The first resume is a plain next().
      let resume: Result<unknown> | undefined;
      if (gen === undefined) {
        gen = genFn(); // lazy: the body starts on the first poll, not when the future is made
      }
      for (;;) {
        if (current !== undefined) {
          const p = current.poll(cx);
          // The child stored cx.waker; it will wake us. Nothing else to do now.
          if (!p.ready) return Pending;
          current = undefined;
          resume = p.value;
        }
        let step: IteratorResult<Future<Result<unknown>>, T>;
        try {
          if (resume === undefined || resume.ok) {
            // next(v) makes `v` the value of the paused `yield` expression.
            step = gen.next(resume?.value);
          } else if (gen.throw !== undefined) {
            // throw(e) resumes the generator by throwing `e` at the paused `yield`.
            step = gen.throw(resume.error);
          } else {
            throw resume.error;
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
        resume = undefined;
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
