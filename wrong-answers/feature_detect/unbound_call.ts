// @rejects uses the native method when it exists
// Mistake: detects the method correctly but calls it detached (`this` is lost), which the real
// Promise.withResolvers rejects with a TypeError.
export interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseCtor: PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> } = Promise;

export function withResolvers<T>(): Resolvers<T> {
  const native = PromiseCtor.withResolvers;
  if (native) return native<T>();
  let resolve!: Resolvers<T>['resolve'];
  let reject!: Resolvers<T>['reject'];
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
