// event_loop_phases: in Node, the event loop is the runtime.
//
// Goal: `processBatch` runs `work` on many items, and it must not hog the
// thread: every `budget` items it should pause so that timers, I/O callbacks
// and other requests get a turn. The version below "pauses" after every item
// with `await Promise.resolve()`. That pause is a microtask: it resumes
// before any timer or I/O callback can run, so from the outside the whole
// batch still looks like one long block. It also pauses far too often.
//
// Rules:
//   - `yieldToEventLoop()` returns a promise that resolves on the next turn
//     of the event loop, after the callbacks that are already waiting there
//     (use `setImmediate`);
//   - `processBatch` runs the first `budget` items straight away, then calls
//     `yieldNow()` once and awaits it, then the next `budget` items, and so
//     on: it yields after items number budget, 2·budget, 3·budget, … (and
//     only there; with 100 items and a budget of 10 that is 10 yields);
//   - `kindOf(api)` says whether each API's callback runs as a 'microtask'
//     (before the event loop moves on) or a 'macrotask' (a later turn or
//     phase of the loop). The lesson (README.md) explains which is which.
//
// TODO: write yieldToEventLoop() with setImmediate.
// TODO: make processBatch yield through `yieldNow` once every `budget` items.
// TODO: fill in the kindOf table.
//
// Rust equivalent: tokio's scheduler plays the part of libuv's loop, and
// `tokio::task::yield_now().await` is the counterpart of yielding with
// setImmediate. Rust has no microtask tier: a wake goes to the run queue.

export type Api = 'Promise.then' | 'queueMicrotask' | 'process.nextTick' | 'setTimeout' | 'setImmediate' | 'fs.readFile callback';

export type Kind = 'microtask' | 'macrotask';

// TODO: these are guesses; correct them.
const KINDS: Record<Api, Kind> = {
  'Promise.then': 'macrotask',
  queueMicrotask: 'macrotask',
  'process.nextTick': 'macrotask',
  setTimeout: 'macrotask',
  setImmediate: 'macrotask',
  'fs.readFile callback': 'macrotask',
};

export function kindOf(api: Api): Kind {
  return KINDS[api];
}

/** Resolves on a later turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return Promise.resolve(); // a microtask: the event loop never gets a turn
}

export async function processBatch<T>(
  items: readonly T[],
  budget: number,
  work: (item: T, index: number) => void,
  yieldNow: () => Promise<void> = yieldToEventLoop,
): Promise<void> {
  void budget;
  void yieldNow;
  for (const [index, item] of items.entries()) {
    work(item, index);
    await Promise.resolve();
  }
}
