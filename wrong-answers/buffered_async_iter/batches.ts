// @rejects finishes at the hand-computed time
// Mistake: runs the items in batches of `limit` with Promise.all, so a slow item holds up the whole next batch.
export async function* mapConcurrent<T, U>(
  src: AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<U>,
): AsyncGenerator<U, void, undefined> {
  let batch: T[] = [];
  for await (const item of src) {
    batch.push(item);
    if (batch.length === limit) {
      yield* await Promise.all(batch.map(fn));
      batch = [];
    }
  }
  if (batch.length > 0) yield* await Promise.all(batch.map(fn));
}
