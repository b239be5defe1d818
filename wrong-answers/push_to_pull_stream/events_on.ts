// @rejects builds the buffer by hand
// Mistake: hands the job to node:events' on() with its highWaterMark and close options, which pauses and resumes the emitter and buffers for you: the library's answer, not yours.
//
// Rust equivalent: `Iterator` is a sync pull, `futures::Stream` an async
// pull, callbacks a push. A bounded `tokio::sync::mpsc::channel(8)` between
// the two gives backpressure.
import { EventEmitter, on } from 'node:events';

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
  const emitter = new EventEmitter();
  const forward = {
    data: (item: T) => emitter.emit('data', item),
    end: () => emitter.emit('end'),
    error: (error: unknown) => emitter.emit('error', error),
  };
  source.on('data', forward.data);
  source.on('end', forward.end);
  source.on('error', forward.error);
  Object.assign(emitter, { pause: () => source.pause(), resume: () => source.resume() });
  const iterator = on(emitter, 'data', { highWaterMark: options.highWaterMark ?? 8, close: ['end'] });
  try {
    source.resume();
    for await (const [item] of iterator) yield item;
  } finally {
    source.off('data', forward.data);
    source.off('end', forward.end);
    source.off('error', forward.error);
    source.destroy();
  }
}
