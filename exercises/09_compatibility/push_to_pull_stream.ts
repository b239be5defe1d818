// push_to_pull_stream: let the consumer set the pace.
//
// Goal: `toAsyncIterable(source)` turns a push source (it calls you: a
// 'data' event per item, then 'end', or 'error') into a pull stream (you
// call it: `for await (const item of toAsyncIterable(source))`).
//
// The version below is what `events.on(source, 'data')` does: every item
// the source pushes goes into an array, however fast it comes and however
// slowly the loop consumes. A source that can push 100 000 items at once
// fills memory with 100 000 items. A pull design fixes that with
// backpressure: buffer at most `highWaterMark` items (8 unless the caller
// says otherwise), and tell the source to stop while the buffer is full.
//
// The source starts paused: `resume()` starts the flow, `pause()` stops
// it (items pushed while paused wait inside the source), and `destroy()`
// tells it nobody will read any more.
//
// Rules:
//   - call `resume()` to start; `pause()` as soon as the buffer holds
//     `highWaterMark` items; `resume()` again once the loop has drained
//     the buffer (all of it: not after every item);
//   - items come out in the order they were pushed;
//   - 'end' ends the loop once the buffered items are out; 'error' makes
//     the loop throw that error, after the items that came before it;
//   - when the loop stops (end, error, or `break`), remove every listener
//     you added and call `destroy()`;
//   - no `node:events`, `node:stream` or `node:readline` helpers: you are
//     building what they do.
//
// TODO: pause the source when the buffer is full, resume it when drained.
// TODO: handle 'error'.
// TODO: clean up in a `finally`: listeners off, destroy().
//
// Rust equivalent: `Iterator` is a sync pull, `futures::Stream` an async
// pull, callbacks a push. A bounded `tokio::sync::mpsc::channel(8)` between
// the two gives backpressure: the sender's `send().await` waits while the
// channel is full. `futures::Sink` is the push side, with `poll_ready`.

/** What the checks pass in: a push source shaped like a paused Node `Readable`. */
export interface PushSource<T> {
  on(event: 'data', listener: (item: T) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  off(event: 'data' | 'end' | 'error', listener: (...args: never[]) => void): unknown;
  pause(): void;
  resume(): void;
  destroy(): void;
}

export interface PullOptions {
  /** The most items held while the loop is busy. Default 8. */
  highWaterMark?: number;
}

export async function* toAsyncIterable<T>(source: PushSource<T>, options: PullOptions = {}): AsyncGenerator<T, void, undefined> {
  void options.highWaterMark;
  const buffer: T[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  source.on('data', (item) => {
    buffer.push(item); // no limit: the source never hears that we are full
    notify();
  });
  source.on('end', () => {
    ended = true;
    notify();
  });
  source.resume();
  for (;;) {
    const item = buffer.shift();
    if (item !== undefined) yield item;
    else if (ended) return;
    else await new Promise<void>((resolve) => (wake = resolve));
  }
}
