// @rejects works where Promise.withResolvers is missing
// Mistake: "optimises" the fallback by creating one resolvers object at load time and handing the
// same promise to every caller.
export interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseCtor: PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> } = Promise;

let shared: Resolvers<unknown> | undefined;

export function withResolvers<T>(): Resolvers<T> {
  if (typeof PromiseCtor.withResolvers === 'function') return PromiseCtor.withResolvers<T>();
  if (!shared) {
    let resolve!: Resolvers<unknown>['resolve'];
    let reject!: Resolvers<unknown>['reject'];
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    shared = { promise, resolve, reject };
  }
  const { promise, resolve, reject } = shared;
  return { promise: promise.then((value) => value as T), resolve, reject };
}
