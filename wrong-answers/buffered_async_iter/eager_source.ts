// @rejects pulls the source lazily
// Mistake: reads the whole source into an array first, then maps it with a bounded buffer.
export async function* mapConcurrent<T, U>(
  src: AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<U>,
): AsyncGenerator<U, void, undefined> {
  const items: T[] = [];
  for await (const item of src) items.push(item); // pulls everything up front
  const buffer: Promise<U>[] = [];
  let next = 0;
  for (;;) {
    while (next < items.length && buffer.length < limit) {
      const p = fn(items[next++] as T);
      p.catch(() => {});
      buffer.push(p);
    }
    const head = buffer.shift();
    if (head === undefined) return;
    yield await head;
  }
}
