// @rejects does not leave unhandled rejections
// Mistake: a hand-made race that attaches only fulfilment handlers: the aborted losers reject, and those rejections are never handled.
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

/** Settles like the first task to settle, then aborts every other task. */
export function firstOf<T>(tasks: readonly Task<T>[]): Promise<T> {
  // One controller per task: aborting one task's signal leaves the others alone.
  const controllers: AbortController[] = [];
  const runs = tasks.map((task) => {
    const controller = new AbortController();
    controllers.push(controller);
    return task(controller.signal);
  });
  // A hand-made race that only listens for success and failure of the *winner*: each .then
  // creates a new promise with no rejection handler, so the aborted losers' rejections go unhandled.
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    runs.forEach((run, i) => {
      run.then((value) => {
        if (settled) return;
        settled = true;
        controllers.forEach((c, j) => {
          if (j !== i) c.abort();
        });
        resolve(value);
      });
    });
    void reject;
  });
}
