// @rejects leaves no timers behind
// Mistake: the shipped code: Promise.race picks the winner and the losers keep running with their timers set.
/** A task: started with a signal that tells it to stop. */
export type Task<T> = (signal: AbortSignal) => Promise<T>;

/** Resolves after `ms` milliseconds. TODO: honour `signal`. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  void signal;
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

/** Settles like the first task to settle. TODO: cancel the others. */
export function firstOf<T>(tasks: readonly Task<T>[]): Promise<T> {
  return Promise.race(tasks.map((task) => task(new AbortController().signal)));
}
