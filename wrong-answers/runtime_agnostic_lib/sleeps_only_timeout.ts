// @rejects timeoutMs counts the time the attempts themselves take
// Mistake: counts only its own sleeps against timeoutMs, so slow attempts let retry start attempts after the deadline.
// runtime_agnostic_lib: a library that brings no runtime of its own.
//
// retry asks the runtime it is given for every sleep and every reading of the clock, so it runs
// unchanged on Node's timers, on a virtual clock, or on anything else that offers sleep and now.
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

export async function retry<T>(op: (attempt: number) => Promise<T>, options: RetryOptions, runtime: Runtime): Promise<T> {
  const deadline = options.timeoutMs ?? Infinity;
  let slept = 0;
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return await op(attempt);
    } catch (error) {
      lastError = error;
    }
    const delay = options.baseMs * 2 ** (attempt - 1);
    if (attempt === options.attempts || slept + delay > deadline) break;
    slept += delay;
    await runtime.sleep(delay);
  }
  throw lastError;
}
