// @rejects works for any limit and any number of items
// Mistake: fills the buffer with limit items up front without checking whether the source has that many, so a source shorter than limit gives calls of fn(undefined) and extra results.
//
// Rust equivalent: `stream.map(f).buffered(n)` (ordered; `buffer_unordered(n)` yields in
// completion order). `for await (x of s)` is `while let Some(x) = s.next().await`.

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
    // Fill the buffer first: limit calls.
    for (let k = 0; k < limit; k++) {
      const r = await it.next();
      if (r.done === true) srcDone = true;
      const p = fn(r.value);
      p.catch(() => {});
      buffer.push(p);
    }
    for (;;) {
      // Top up before waiting: every free slot becomes a running call of fn.
      while (!srcDone && buffer.length < limit) {
        const r = await it.next();
        if (r.done === true) {
          srcDone = true;
          break;
        }
        const p = fn(r.value);
        // A later item may reject while we are still waiting for an earlier one. This empty
        // handler keeps Node from reporting that as unhandled; we still see the error when we
        // await `p` in its turn below.
        p.catch(() => {});
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
