// @rejects two races side by side
// Mistake: keeps the controllers in one module-level array that every call appends to, so settling one race aborts the tasks of every other race still running.
//
// Rust equivalent: `Promise.race` is `select!` without cancellation-by-drop. In JS the task must
// listen for cancellation, much as with `tokio_util::sync::CancellationToken`.

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
    const timer = setTimeout(() => {
      // Finished normally: stop listening, or a long-lived signal keeps one closure per sleep.
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// One controller per task started so far.
const controllers: AbortController[] = [];

/** Settles like the first task to settle, then aborts every other task. */
export async function firstOf<T>(tasks: readonly Task<T>[]): Promise<T> {
  const mine: AbortController[] = [];
  const runs = tasks.map((task) => {
    const controller = new AbortController();
    controllers.push(controller);
    mine.push(controller);
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
  const winner = mine[outcome.i];
  controllers.forEach((c) => {
    if (c !== winner) c.abort();
  });
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
