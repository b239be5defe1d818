// generator_driver: drive a generator as if it were an async function.
//
// JavaScript already has resumable functions: generators. A generator stops
// at each `yield` and carries on when you call `gen.next(value)`, and the
// `value` you pass in becomes the result of that `yield`. Before `async`
// functions existed, libraries such as `co` (and the compilers that turned
// ES2017 code into ES5) ran async code exactly like this: the generator
// yields "something to wait for", a driver waits for it and resumes the
// generator with the answer.
//
// Here you write that driver for the course's futures. The generator yields
// a future where an async function would write `await`:
//
//     function* () {
//       const a = yield after(10, 3);   // like: const a = await after(10, 3)
//       const b = yield lookup(a);
//       return a + b;
//     }
//
// Every future a generator yields outputs a `Result`: `Ok(value)` resumes
// the generator with `value`; `Err(error)` is thrown *into* the generator at
// that `yield`, where a `try/catch` around it can catch it (that is Rust's
// `fut.await?`, and JavaScript's `await` of a rejected promise).
//
// Goal: `fromGenerator(genFn)` returns a Future<Result<T>> that:
//   - calls `genFn()` only on its first poll (futures are lazy);
//   - polls the future the generator is waiting on; on Pending returns
//     Pending, on Ready resumes the generator with `gen.next(value)` or
//     `gen.throw(error)`, and keeps going in the same poll;
//   - is Ready(Ok(v)) when the generator returns v, and Ready(Err(e)) when
//     the generator throws e (or lets an Err escape);
//   - on `drop()` while suspended: drops the future being waited on and
//     calls `gen.return()`, so the generator's `finally` blocks run.
//
// TODO: write `poll` and `drop` in `fromGenerator`.
//
// Rust equivalent: `.await` is a `yield` inside a coroutine (`std::ops::Coroutine`, unstable);
// in JS an `async function` is a generator plus a promise driver like this one.

import { type Context, type Future, type Poll } from '../_lib/future';

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
  // Tip: the driver only needs `next`, `throw` and `return`. Storing the
  // generator as `Iterator<Future<Result<unknown>>, T, unknown>` lets you call
  // `gen.return?.()` without inventing a return value.
  void genFn;
  return {
    poll(cx: Context): Poll<Result<T>> {
      void cx;
      throw new Error('TODO: drive the generator: poll what it yielded, resume it with next/throw');
    },
    drop() {
      // TODO: drop the future being waited on, and let the generator clean up.
    },
  };
}
