// @rejects sleep removes its abort listener when it finishes
// Mistake: sleep adds an 'abort' listener and never removes it, so a long-lived signal collects one listener per finished sleep.
/** A task: started with a signal that tells it to stop. */
export type Task<T> = (signal: AbortSignal) => Promise<T>;

/** Resolves after `ms` milliseconds, or rejects with `signal.reason` once `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // An 'abort' event fires only once, when abort() is called: a signal that is already aborted
    // will never fire it again, so check first (and start no timer at all).
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer); // the cancellation itself: the timer never fires
      reject(signal?.reason);
    };
    const timer = setTimeout(resolve, ms);
    // Listens, but never stops listening when the timer fires.
    signal?.addEventListener('abort', onAbort);
  });
}

/** Settles like the first task to settle, then aborts every other task. */
export async function firstOf<T>(tasks: readonly Task<T>[]): Promise<T> {
  // One controller per task: aborting one task's signal leaves the others alone.
  const controllers: AbortController[] = [];
  const runs = tasks.map((task) => {
    const controller = new AbortController();
    controllers.push(controller);
    return task(controller.signal);
  });
  // Turn each run into an outcome that never rejects, tagged with its index. Promise.race then
  // tells us who won, and every loser's rejection (the AbortError we are about to cause) already
  // has a handler, so none of them is reported as unhandled.
  const outcome = await Promise.race(
    runs.map((run, i) =>
      run.then(
        (value) => ({ i, ok: true as const, value }),
        (error: unknown) => ({ i, ok: false as const, error }),
      ),
    ),
  );
  // Cancel the losers. abort() dispatches 'abort' synchronously, so their timers are cleared now.
  controllers.forEach((c, i) => {
    if (i !== outcome.i) c.abort();
  });
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
