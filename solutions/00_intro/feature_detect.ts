// feature_detect: reference solution.
//
// Rust equivalent: native `async fn` in traits (Rust 1.75) replaced `async-trait`
// for static dispatch, but it is not dyn-compatible and cannot by itself require
// a `Send` future, so `async-trait` is still the tool for `dyn Trait`. Code built
// around each old gap needs revisiting as the language fills it.

export interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

// Node 20's type definitions do not list Promise.withResolvers, so we look at
// Promise through a type that says the method may or may not be there. This
// is the same object as `Promise`; only the type differs.
const PromiseCtor: PromiseConstructor & {
  withResolvers?: <T>() => Resolvers<T>;
} = Promise;

export function withResolvers<T>(): Resolvers<T> {
  // Ask about the feature itself. A version number is only a guess about
  // features: backports, polyfills and other runtimes (Bun, Deno) break it.
  if (typeof PromiseCtor.withResolvers === 'function') {
    // Called as a method, so `this` is Promise, as the built-in requires.
    return PromiseCtor.withResolvers<T>();
  }

  // Fallback, to delete once Node 22 is the oldest runtime we support.
  // `new Promise` runs the executor synchronously, so both functions have been
  // captured by the time the constructor returns.
  let resolve!: Resolvers<T>['resolve'];
  let reject!: Resolvers<T>['reject'];
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
