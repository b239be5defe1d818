// @rejects any number of items, any budget
// Mistake: yields when the next chunk is about to start instead of after each chunk, so a batch whose size is a multiple of budget ends without its last yield and its caller runs on with the loop still starved.
//
// Rust equivalent: tokio's scheduler plays the part of libuv's loop, and
// `tokio::task::yield_now().await` is the counterpart of yielding with
// setImmediate. Rust has no microtask tier: a wake goes to the run queue.

export type Api = 'Promise.then' | 'queueMicrotask' | 'process.nextTick' | 'setTimeout' | 'setImmediate' | 'fs.readFile callback';

export type Kind = 'microtask' | 'macrotask';

const KINDS: Record<Api, Kind> = {
  // Run as soon as the current piece of JavaScript ends, before the loop moves on.
  'Promise.then': 'microtask',
  queueMicrotask: 'microtask',
  // Node's own queue, drained together with the microtasks (which of the two
  // goes first depends on CommonJS vs ES modules, so do not rely on it).
  'process.nextTick': 'microtask',
  // Each runs in a phase of the event loop: timers, check, poll (I/O).
  setTimeout: 'macrotask',
  setImmediate: 'macrotask',
  'fs.readFile callback': 'macrotask',
};

export function kindOf(api: Api): Kind {
  return KINDS[api];
}

/** Resolves in the loop's check phase, after the immediates already queued. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function processBatch<T>(
  items: readonly T[],
  budget: number,
  work: (item: T, index: number) => void,
  yieldNow: () => Promise<void> = yieldToEventLoop,
): Promise<void> {
  for (const [index, item] of items.entries()) {
    // A new chunk starts: let the loop run first.
    if (index > 0 && index % budget === 0) await yieldNow();
    work(item, index);
  }
}
