import { expect, test } from 'vitest';
import { SEEDS, banned, pristine, seeded } from 'async-lessons/harness';
import { toAsyncIterable, type PushSource } from './push_to_pull_stream';

type Listener = (...args: never[]) => void;

/**
 * A paused push source, like a Node Readable: `resume()` makes it push everything it holds at once
 * (synchronously, until someone calls `pause()`); `write` adds items, `end`/`fail` queue the end.
 */
class FakeSource<T> implements PushSource<T> {
  readonly log: string[] = [];
  emitted = 0;
  consumed = 0;
  maxBuffered = 0;
  destroys = 0;
  #listeners = new Map<string, Listener[]>();
  #queue: T[] = [];
  #flowing = false;
  #finish: { kind: 'end' } | { kind: 'error'; error: unknown } | undefined;
  #finished = false;

  constructor(items: readonly T[] = []) {
    this.#queue = [...items];
  }

  on(event: string, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }

  off(event: string, listener: Listener): this {
    const list = this.#listeners.get(event) ?? [];
    const i = list.indexOf(listener);
    if (i >= 0) this.#listeners.set(event, [...list.slice(0, i), ...list.slice(i + 1)]);
    return this;
  }

  listenerCount(event: string): number {
    return (this.#listeners.get(event) ?? []).length;
  }

  pause(): void {
    this.log.push('pause');
    this.#flowing = false;
  }

  resume(): void {
    this.log.push('resume');
    this.#flowing = true;
    this.#flush();
  }

  destroy(): void {
    this.log.push('destroy');
    this.destroys += 1;
    this.#flowing = false;
    this.#finished = true;
  }

  write(...items: T[]): void {
    this.#queue.push(...items);
    this.#flush();
  }

  end(): void {
    this.#finish = { kind: 'end' };
    this.#flush();
  }

  fail(error: unknown): void {
    this.#finish = { kind: 'error', error };
    this.#flush();
  }

  /** What the consumer's loop calls for each item it receives. */
  took(): void {
    this.consumed += 1;
  }

  #emit(event: string, ...args: unknown[]): void {
    for (const l of [...(this.#listeners.get(event) ?? [])]) Reflect.apply(l, undefined, args);
  }

  #flush(): void {
    while (this.#flowing && !this.#finished && this.#queue.length > 0) {
      const item = this.#queue.shift();
      this.emitted += 1;
      this.maxBuffered = Math.max(this.maxBuffered, this.emitted - this.consumed);
      this.#emit('data', item);
    }
    if (this.#flowing && !this.#finished && this.#queue.length === 0 && this.#finish !== undefined) {
      this.#finished = true;
      if (this.#finish.kind === 'end') this.#emit('end');
      else this.#emit('error', this.#finish.error);
    }
  }
}

function items(seed: number, n: number): number[] {
  const rng = seeded(seed);
  return Array.from({ length: n }, () => rng.int(0, 1_000_000));
}

/** A turn of the event loop: every promise job queued so far has run. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function drain<T>(source: FakeSource<T>, iterable: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const got: T[] = [];
  for await (const item of iterable) {
    source.took();
    got.push(item);
    if (got.length >= limit) break;
  }
  return got;
}

/** Watches a promise without waiting for it, so a check can fail instead of hanging. */
function settles(promise: Promise<unknown>) {
  const seen: { state: 'pending' | 'fulfilled' | 'rejected'; reason: unknown } = { state: 'pending', reason: undefined };
  promise.then(
    () => (seen.state = 'fulfilled'),
    (reason: unknown) => {
      seen.state = 'rejected';
      seen.reason = reason;
    },
  );
  return seen;
}

function listeners(source: FakeSource<unknown>) {
  return { data: source.listenerCount('data'), end: source.listenerCount('end'), error: source.listenerCount('error') };
}

test('buffers at most highWaterMark items', async () => {
  for (const seed of SEEDS) {
    for (const hwm of [undefined, seeded(seed).int(1, 7), 8 + seeded(seed).int(1, 9)]) {
      const want = items(seed, 100);
      const source = new FakeSource(want);
      source.end();
      const got = await drain(source, toAsyncIterable(source, hwm === undefined ? {} : { highWaterMark: hwm }), 100);
      const limit = hwm ?? 8;
      expect(
        source.maxBuffered,
        `the source pushes 100 items at once when resumed; with highWaterMark ${hwm ?? '8 (the default)'} at most ` +
          `${limit} may wait in the buffer. Call source.pause() as soon as the buffer holds highWaterMark items`,
      ).toBe(limit);
      expect(got, `every item comes out, in the order it was pushed (seed ${seed})`).toEqual(want);
    }
  }
});

test('pauses when full and resumes when drained', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const hwm = rng.int(2, 9);
    const n = hwm * rng.int(2, 5) + rng.int(0, hwm - 1);
    const source = new FakeSource(items(seed, n));
    source.end();
    await drain(source, toAsyncIterable(source, { highWaterMark: hwm }));
    const want = ['resume'];
    for (let i = 0; i < Math.floor(n / hwm); i++) want.push('pause', 'resume');
    expect(
      pristine.Array.filter(source.log, (e: string) => e !== 'destroy'),
      `${n} items, highWaterMark ${hwm}: resume to start, pause each time the buffer reaches ${hwm}, resume once ` +
        'the loop has taken everything buffered (not after every item)',
    ).toEqual(want);
  }
});

test('waits for items that arrive later, in order', async () => {
  for (const seed of SEEDS) {
    const want = items(seed, 12);
    const source = new FakeSource<number>();
    const loop = drain(source, toAsyncIterable(source));
    for (let i = 0; i < want.length; ) {
      const burst = pristine.Array.slice(want, i, i + 1 + (want[i] ?? 0) % 3);
      i += burst.length;
      await tick();
      source.write(...burst);
    }
    await tick();
    source.end();
    expect(await loop, 'items pushed one burst at a time while the loop waits: all of them, in order, then the loop ends').toEqual(want);
    expect(listeners(source), 'after end, every listener added is removed').toEqual({ data: 0, end: 0, error: 0 });
  }
});

test('every item comes out, falsy ones too (undefined, null, 0, "")', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const falsy: unknown[] = [undefined, null, 0, '', false, Number.NaN];
    // A falsy item first, somewhere in the middle and last: none of them means "the buffer is empty".
    const want: unknown[] = Array.from({ length: rng.int(10, 20) }, (_, i) =>
      i === 0 || rng.int(0, 2) === 0 ? falsy[rng.int(0, falsy.length - 1)] : `item ${i}`,
    );
    want.push(undefined);
    const source = new FakeSource<unknown>(want);
    source.end();
    const got = await drain(source, toAsyncIterable(source, { highWaterMark: rng.int(2, 5) }));
    expect(
      got,
      `the source pushed ${want.length} items, some of them undefined, null, 0 or "": each is an item and comes out ` +
        'in order. Tell "no item buffered" apart from "the item is undefined" (check the buffer\'s length, or box each ' +
        `item) (seed ${seed})`,
    ).toStrictEqual(want); // toEqual would not see a trailing undefined go missing
  }
});

test('an error makes the loop throw, after the items before it', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const before = items(seed, rng.int(0, 5));
    const boom = new Error(`source broke (seed ${seed})`);
    const source = new FakeSource(before);
    source.fail(boom);
    const first: number[] = [];
    const outcome = settles(
      (async () => {
        for await (const item of toAsyncIterable(source)) first.push(item);
      })(),
    );
    await tick();
    await tick();
    const caught = outcome.state === 'rejected' ? outcome.reason : undefined;
    expect(
      outcome.state,
      "the source emitted 'error' but the loop is still waiting for its next item: listen for 'error' and make the loop throw it",
    ).toBe('rejected');
    expect(caught, "the source emitted 'error': the for await loop throws that same error").toBe(boom);
    expect(
      first,
      `the source pushed ${before.length} item(s), then 'error', all at once: the loop gets those items first, then the error`,
    ).toEqual(before);
    const again = new FakeSource(before);
    const seen: number[] = [];
    const loop = (async () => {
      for await (const item of toAsyncIterable(again)) seen.push(item);
    })();
    await tick();
    const later = settles(loop);
    again.fail(boom);
    await tick();
    await tick();
    expect(later.state, "an 'error' while the loop waits for the next item wakes it, and it throws").toBe('rejected');
    await expect(loop).rejects.toBe(boom);
    expect(seen, "the items pushed before the 'error' still come out first").toEqual(before);
    expect(listeners(again), 'after an error, every listener added is removed').toEqual({ data: 0, end: 0, error: 0 });
  }
});

test('break removes the listeners and destroys the source', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const take = rng.int(1, 30);
    const source = new FakeSource(items(seed, 40));
    const got = await drain(source, toAsyncIterable(source), take);
    expect(got).toHaveLength(take);
    expect(listeners(source), `after break (at item ${take}), no 'data', 'end' or 'error' listener is left on the source`).toEqual({
      data: 0,
      end: 0,
      error: 0,
    });
    expect(source.destroys, 'after break, destroy() is called once: nobody will read the rest').toBe(1);
    expect(source.log[source.log.length - 1], 'destroy() is the last thing done to the source: no resume after break').toBe('destroy');
  }
});

test('builds the buffer by hand', () => {
  const found = banned(
    new URL('./push_to_pull_stream.ts', import.meta.url),
    ['import:node:events', 'import:node:stream', 'import:node:readline', 'import:async-lessons', 'import:../_lib'],
    'this exercise builds what events.on and Readable do: the bounded buffer, pause/resume and the cleanup',
  );
  expect(found, found.join('\n')).toEqual([]);
});
