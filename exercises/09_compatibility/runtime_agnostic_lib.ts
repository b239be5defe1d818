// runtime_agnostic_lib: a library that brings no runtime of its own.
//
// Goal: `retry(op, options, runtime)` runs `op` until it succeeds, at most
// `options.attempts` times, waiting between attempts with exponential
// backoff: `baseMs`, then twice that, then four times, … With baseMs 100
// and 4 attempts, the attempts start at 0, 100, 300 and 700 ms.
//
// The version below waits with `NodeTimers.sleep`, which calls the global
// `setTimeout`. That ties the library to one runtime: a program whose time
// comes from elsewhere (the course's virtual runtime in the checks, a
// browser's scheduler, a test clock) never sees those sleeps, and its
// retries run on a clock it cannot control. The library already receives a
// `runtime`; it just does not use it.
//
// Rules:
//   - every sleep and every reading of the time go through `runtime`; this
//     file names no global timer or clock (`setTimeout`, `Date`,
//     `performance`, `node:timers`…) and does not import the Node adapter;
//   - attempt n (1-based) calls `op(n)`; no sleep after the last attempt;
//     when every attempt failed, reject with the last attempt's error;
//   - `timeoutMs` (optional): never start an attempt later than
//     `timeoutMs` after the first one; when the next one would start too
//     late, reject with the last error at once, without sleeping;
//   - write `nodeRuntime` in node_runtime.ts: the adapter for programs that
//     do run on Node's timers.
//
// TODO: wait with runtime.sleep and read the time with runtime.now.
// TODO: the timeout rule.
// TODO: nodeRuntime in node_runtime.ts.
//
// Rust equivalent: a crate that calls `tokio::time::sleep` inside works
// only under tokio; elsewhere it panics with "there is no reactor running,
// must be called from the context of a Tokio 1.x runtime". Runtime-agnostic
// crates take the service as a parameter instead (backon's `Sleeper`
// trait) or use a runtime-free timer such as `futures-timer`.

/** The services a runtime offers this library. */
export interface Runtime {
  /** Resolves once `ms` milliseconds have passed on this runtime's clock. */
  sleep(ms: number): Promise<void>;
  /** This runtime's clock, in milliseconds. */
  now(): number;
}

export interface RetryOptions {
  /** The most attempts (≥ 1). */
  attempts: number;
  /** The wait after the first failure; each later wait doubles. */
  baseMs: number;
  /** No attempt starts later than this many ms after the first. */
  timeoutMs?: number;
}

// The hard-coded runtime: Node's global timers.
const NodeTimers = {
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export async function retry<T>(op: (attempt: number) => Promise<T>, options: RetryOptions, runtime: Runtime): Promise<T> {
  void runtime;
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return await op(attempt);
    } catch (error) {
      lastError = error;
    }
    if (attempt < options.attempts) await NodeTimers.sleep(options.baseMs * 2 ** (attempt - 1));
  }
  throw lastError;
}
