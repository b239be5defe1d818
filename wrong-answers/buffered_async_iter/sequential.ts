// @rejects keeps limit calls in flight
// Mistake: the shipped code: awaits each fn(x) before pulling the next item, so one call runs at a time.
export async function* mapConcurrent<T, U>(
  src: AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<U>,
): AsyncGenerator<U, void, undefined> {
  void limit;
  for await (const item of src) {
    yield await fn(item);
  }
}
