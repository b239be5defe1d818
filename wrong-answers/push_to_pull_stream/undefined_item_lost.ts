// @rejects every item comes out, falsy ones too
// Mistake: keeps raw items in the buffer and takes shift() === undefined to mean empty, so an item that is undefined is dropped.
// push_to_pull_stream: let the consumer set the pace.
//
// The source pushes into a bounded buffer and is paused while the buffer is full; the loop pulls
// from the buffer and resumes the source once it has drained it. A `finally` undoes everything the
// generator set up, however the loop stops.
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
  const highWaterMark = options.highWaterMark ?? 8;
  // Each item in a box, so an item that is itself undefined is not mistaken for an empty buffer.
  const buffer: T[] = [];
  let paused = false;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (item: T): void => {
    buffer.push(item);
    if (buffer.length >= highWaterMark && !paused) {
      paused = true;
      source.pause();
    }
    notify();
  };
  const onEnd = (): void => {
    ended = true;
    notify();
  };
  const onError = (error: unknown): void => {
    failure = { error };
    notify();
  };
  source.on('data', onData);
  source.on('end', onEnd);
  source.on('error', onError);
  try {
    source.resume();
    for (;;) {
      const next = buffer.shift();
      if (next !== undefined) {
        yield next;
      } else if (failure !== undefined) {
        throw failure.error;
      } else if (ended) {
        return;
      } else if (paused) {
        // Drained: let the source push again. It may push synchronously, refilling the buffer.
        paused = false;
        source.resume();
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    source.off('data', onData);
    source.off('end', onEnd);
    source.off('error', onError);
    source.destroy();
  }
}
