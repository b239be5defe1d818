// @rejects ignores the version number
// Mistake: sniffs the major version (>= 22) instead of testing for the method itself.
export interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const PromiseCtor: PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> } = Promise;

export function withResolvers<T>(): Resolvers<T> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return PromiseCtor.withResolvers!<T>();
  let resolve!: Resolvers<T>['resolve'];
  let reject!: Resolvers<T>['reject'];
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
