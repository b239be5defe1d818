// @rejects yields in input order
// Mistake: keeps limit calls running but yields each result as soon as it finishes (buffer_unordered), not in input order.
export async function* mapConcurrent<T, U>(
  src: AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<U>,
): AsyncGenerator<U, void, undefined> {
  const it = src[Symbol.asyncIterator]();
  const running = new Map<number, Promise<{ id: number; value: U }>>();
  let id = 0;
  let srcDone = false;
  try {
    for (;;) {
      while (!srcDone && running.size < limit) {
        const r = await it.next();
        if (r.done === true) {
          srcDone = true;
          break;
        }
        const mine = id++;
        running.set(mine, fn(r.value).then((value) => ({ id: mine, value })));
      }
      if (running.size === 0) return;
      const first = await Promise.race(running.values()); // whichever finishes first
      running.delete(first.id);
      yield first.value;
    }
  } finally {
    if (!srcDone) await it.return?.();
  }
}
