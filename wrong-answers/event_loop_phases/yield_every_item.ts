// @rejects a setImmediate queued first sees exactly one chunk
// Mistake: yields with setImmediate after every single item, ignoring the budget: a full event-loop turn per item.
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
    work(item, index);
    // Yield after every `budget` items: long enough chunks to make progress,
    // short enough that timers and I/O never wait for the whole batch.
    await yieldNow();
  }
}
