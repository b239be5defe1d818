// feature_detect: keep up with a moving platform by testing for features.
//
// Goal: `withResolvers()` hands back a promise together with the functions
// that settle it, so other code can resolve or reject it later. Newer
// runtimes have this built in as `Promise.withResolvers()` (Node 22 and up);
// Node 20, which this course supports, does not.
//
// The code below guesses from the version number. That guess is wrong in both
// directions: Node 20 gets an error instead of working code, and a runtime
// whose version does not start with "22" is treated as if it lacked the
// method. Ask the runtime whether the feature is there instead, and fall back
// to a few lines of your own when it is not.
//
// Rules:
//   - when `Promise.withResolvers` exists, call it as a method, so that it
//     runs with `this` set to `Promise`, and return what it returns;
//   - when it does not, build the same { promise, resolve, reject } yourself;
//   - do not look at `process.version` or `process.versions` at all.
//
// TODO: replace the version check with a check for the method itself.
// TODO: write the fallback: `new Promise` calls its executor straight away,
//       and the executor receives `resolve` and `reject`.
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
  if (process.versions.node.startsWith('22')) {
    return PromiseCtor.withResolvers!<T>();
  }
  throw new Error(
    `Promise.withResolvers() needs Node 22, and this is Node ${process.versions.node}`,
  );
}
