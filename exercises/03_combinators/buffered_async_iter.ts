// buffered_async_iter: async iterators as streams, with bounded concurrency.
//
// An async iterable is JavaScript's stream: `for await (const x of src)`
// pulls one item at a time, and an async generator (`async function*`)
// produces items on demand. `mapConcurrent(src, limit, fn)` should map
// `fn` over the items of `src`, running up to `limit` calls of `fn` at the
// same time, and yield the results in input order.
//
// The version below is correct but sequential: it awaits each `fn(x)`
// before pulling the next item, so only one call is ever running.
//
// Goal: an async generator that
//   - keeps at most `limit` items in its buffer: an item takes a slot when
//     `fn` is called for it and gives the slot back when its result is
//     yielded (a finished result waiting for its turn still holds a slot);
//   - before waiting for the oldest result, tops the buffer up to `limit`
//     by pulling more items from `src` (pull only as many as that: `src`
//     may be endless, or expensive);
//   - works for any `limit` (1, 7, 100) and any number of items (none,
//     fewer than `limit`, many more): only `done` ends the source, so a
//     falsy item (0, '', undefined) is an item like any other, and `fn` is
//     never called for an item the source did not give;
//   - yields results in input order;
//   - if `fn` rejects for an item, throws that error at that item's place
//     (after yielding the results before it), without leaving unhandled
//     rejections behind for the other items in the buffer;
//   - when the consumer stops early (`break`, or `return()`), stops pulling
//     and closes `src` by calling its `return()`, so its `finally` runs.
//
//     limit = 2:   buffer [f(a), f(b)]  ─ await f(a) ─▶ yield ─▶ pull c
//                  buffer [f(b), f(c)]  ─ await f(b) ─▶ yield ─▶ pull d …
//
// TODO: replace the body of `mapConcurrent`.
//
// Rust equivalent: `stream.map(f).buffered(n)` (ordered; `buffer_unordered(n)` yields in
// completion order). `for await (x of s)` is `while let Some(x) = s.next().await`.

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
