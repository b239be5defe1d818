// @rejects drives any number of steps in one poll
// Mistake: takes each step by calling the next one (step → wait → step …) instead of looping, so a generator whose futures are all ready at once recurses once per yield and overflows the stack after a few thousand.
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
  let gen: Iterator<Future<Result<unknown>>, T, unknown> | undefined;
  let current: Future<Result<unknown>> | undefined;
  let finished = false;

  // Resumes the generator with `resume` and handles what it does next.
  const step = (cx: Context, resume: Result<unknown> | undefined): Poll<Result<T>> => {
    let next: IteratorResult<Future<Result<unknown>>, T>;
    try {
      if (gen === undefined) throw new Error('fromGenerator: not started');
      if (resume === undefined || resume.ok) next = gen.next(resume?.value);
      else if (gen.throw !== undefined) next = gen.throw(resume.error);
      else throw resume.error;
    } catch (error) {
      finished = true;
      return Ready(Err(error));
    }
    if (next.done === true) {
      finished = true;
      return Ready(Ok(next.value));
    }
    current = next.value;
    return wait(cx);
  };

  // Polls the future the generator waits on; when it is ready, takes the next step.
  const wait = (cx: Context): Poll<Result<T>> => {
    if (current === undefined) return step(cx, undefined);
    const p = current.poll(cx);
    if (!p.ready) return Pending;
    current = undefined;
    return step(cx, p.value);
  };

  return {
    poll(cx: Context): Poll<Result<T>> {
      if (finished) throw new Error('fromGenerator: polled after it returned Ready (or was dropped)');
      if (gen === undefined) {
        gen = genFn();
        return step(cx, undefined);
      }
      return wait(cx);
    },
    drop() {
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
