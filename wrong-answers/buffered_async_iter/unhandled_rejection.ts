// @rejects a rejection throws at its position
// Mistake: stores the promises without a rejection handler, so a later item that fails while an earlier one is awaited is reported as an unhandled rejection.
export async function* mapConcurrent<T, U>(
  src: AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<U>,
): AsyncGenerator<U, void, undefined> {
  if (!(limit >= 1)) throw new RangeError(`mapConcurrent: limit must be at least 1, got ${limit}`);
  // We pull from the iterator by hand (no for await), so that we decide when to pull and can
  // close it ourselves.
  const it = src[Symbol.asyncIterator]();
  // The buffer, oldest first: one promise per item whose result has not been yielded yet.
  const buffer: Promise<U>[] = [];
  let srcDone = false;
  try {
    for (;;) {
      // Top up before waiting: every free slot becomes a running call of fn.
      while (!srcDone && buffer.length < limit) {
        const r = await it.next();
        if (r.done === true) {
          srcDone = true;
          break;
        }
        const p = fn(r.value);
        buffer.push(p);
      }
      const head = buffer.shift();
      if (head === undefined) return; // source finished and buffer empty: done
      // Input order: always wait for the oldest item, even if a newer one finished first.
      // If it rejects, the error is thrown here, at this item's place in the output.
      yield await head;
    }
  } finally {
    // Runs on normal end, on an error, and when the consumer breaks out of its for await (which
    // calls our return()). Close the source unless it finished by itself.
    if (!srcDone) await it.return?.();
  }
}
