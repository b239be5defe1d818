// @rejects works where Promise.withResolvers is missing
// Mistake: the fallback confuses the executor's resolve with the static Promise.resolve, so calling
// resolve() makes a new promise instead of settling the returned one.
export interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseCtor: PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> } = Promise;

export function withResolvers<T>(): Resolvers<T> {
  if (typeof PromiseCtor.withResolvers === 'function') return PromiseCtor.withResolvers<T>();
  let promise = new Promise<T>(() => {});
  return {
    promise,
    resolve: (value) => {
      promise = Promise.resolve(value);
    },
    reject: (reason) => {
      promise = Promise.reject(reason);
      promise.catch(() => undefined);
    },
  };
}
