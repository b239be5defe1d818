// race_abort: the JavaScript side of select: race, then cancel the losers.
//
// `Promise.race` gives you the first task to settle, and that is all. The
// other tasks keep running: their timers stay set, their requests stay
// open, and nobody will ever look at their results. A Promise cannot be
// cancelled from outside. The work inside it has to be told to stop, and JS
// tells it with an `AbortSignal`.
//
// `firstOf(tasks)` takes task *functions*. Each gets an `AbortSignal` and
// returns a promise, so firstOf can start them and stop them. The version
// below races them and never stops anything, and its `sleep` ignores the
// signal anyway.
//
// Goal:
//   1. `sleep(ms, signal)`:
//      - if `signal` is already aborted, reject at once with
//        `signal.reason` and start no timer;
//      - otherwise set a timer, and listen for 'abort': on abort, clear the
//        timer and reject with `signal.reason`;
//      - when the timer fires, remove the 'abort' listener and resolve (a
//        long-lived signal must not collect one listener per sleep).
//   2. `firstOf(tasks)`:
//      - give each task its own AbortController's signal, so that aborting
//        the losers leaves the winner's signal alone (the winner may still
//        need it: `fetch(url, { signal })` resolves when the headers arrive,
//        and aborting its signal afterwards kills the body you are about to
//        read);
//      - settle like `Promise.race`: with the first task to fulfil or
//        reject;
//      - then abort the losers, so their timers are cleared right away;
//      - make sure the losers' rejections (they reject with an AbortError
//        once aborted) never become unhandled rejections.
//
// Use the global `setTimeout`/`clearTimeout`. Do not use `AbortSignal.timeout`
// or `node:timers/promises`: they run on a real clock, and the checks move a
// fake one.
//
// TODO: make `sleep` honour its signal and clean up after itself.
// TODO: make `firstOf` abort the losers once one task has settled.
//
// Rust equivalent: `Promise.race` is `select!` without cancellation-by-drop. In JS the task must
// listen for cancellation, much as with `tokio_util::sync::CancellationToken`.

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
