/*
 * Measuring how long the event loop was blocked, on real time. Used only as a second, tolerant
 * check beside a deterministic one: the machine running checks may be slow or busy, so limits are
 * generous (blocking work ≥ 200 ms against a limit of 100 ms).
 *
 * Two instruments, because each misses something: a `setImmediate` heartbeat sees every gap between
 * loop iterations, and `monitorEventLoopDelay` is Node's own histogram. Timers come from
 * `node:timers` and the clock from `node:perf_hooks`, which vitest's fake timers leave alone, so a
 * check on fake timers can still measure real blocking.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate, setTimeout } from 'node:timers';

/** What `measureBlocking` saw. */
export interface BlockingReport<T> {
  /** The longest gap between two heartbeats while `fn` ran, in ms: the longest the loop was blocked. */
  maxGapMs: number;
  /** The maximum of Node's event-loop-delay histogram over the same time, in ms. */
  eldMaxMs: number;
  /** How long `fn` (and the promise it returned) took, in ms. */
  durationMs: number;
  /** What `fn` returned (awaited). */
  value: T;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const nextImmediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `fn` (sync or async) while watching the event loop, and reports the longest stall.
 * Example: `expect((await measureBlocking(() => handleAll(requests))).maxGapMs).toBeLessThan(100)`.
 */
export async function measureBlocking<T>(fn: () => T | PromiseLike<T>): Promise<BlockingReport<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let running = true;
  try {
    // Right after enable() the histogram has no sample yet and misses a block that starts at once.
    await wait(25);
    let last = performance.now();
    let maxGap = 0;
    const beat = (): void => {
      const t = performance.now();
      maxGap = Math.max(maxGap, t - last);
      last = t;
      if (running) setImmediate(beat);
    };
    setImmediate(beat);
    const started = performance.now();
    const value = await fn();
    const durationMs = performance.now() - started;
    // One more heartbeat measures a block at the very end of fn, and a wait longer than the
    // histogram's resolution lets it record that block too.
    await nextImmediate();
    await wait(20);
    return { maxGapMs: maxGap, eldMaxMs: histogram.max / 1e6, durationMs, value };
  } finally {
    running = false;
    histogram.disable();
  }
}
