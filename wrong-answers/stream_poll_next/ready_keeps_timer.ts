// @rejects a Ready item leaves no timer behind
// Mistake: returns a due item without cancelling the timer it registered for it; when the item was found due before that timer fired, the timer stays and later wakes the task for nothing.
//
// Rust equivalent: `Stream::poll_next(cx) -> Poll<Option<Item>>`, tokio's interval as a stream (`IntervalStream`),
// and `StreamExt::{take, collect}` from the futures crate.

import { type Context, type Future, type Poll, type Stream, type Waker, END, Pending, Ready } from '../_lib/future';

/**
 * The part of the course's reactor that `interval` needs (the checks pass a VirtualReactor).
 * Time is virtual: `now` moves only when the check moves it.
 */
export interface TimerReactor {
  /** The current virtual time in ms. */
  readonly now: number;
  /**
   * Wakes `waker` once `now >= deadline`; returns the timer's id. Passing an earlier id as
   * `replace` updates that registration instead of adding a second one.
   */
  registerTimer(deadline: number, waker: Waker, replace?: number): number;
  /** Removes a timer that has not fired yet. */
  cancelTimer(id: number): boolean;
}

export function interval(reactor: TimerReactor, ms: number): Stream<number> {
  // The schedule is fixed when the stream is made: item n is due at start + n * ms. Working from
  // `start` (not from "now + ms" at each item) means a late poll does not push the schedule back.
  const start = reactor.now;
  let n = 0; // items handed out so far
  let timer: number | undefined; // our one registration, reused through `replace`
  return {
    pollNext(cx: Context): Poll<number | typeof END> {
      const deadline = start + (n + 1) * ms;
      if (reactor.now >= deadline) {
        // Due (perhaps overdue: then the next poll may find the following item due too).
        n += 1;
        return Ready(n);
      }
      // Not due: hand the waker to the reactor, replacing any earlier registration, and wait.
      timer = reactor.registerTimer(deadline, cx.waker.clone(), timer);
      return Pending;
    },
    drop() {
      if (timer !== undefined) reactor.cancelTimer(timer);
    },
  };
}

export function take<T>(stream: Stream<T>, n: number): Stream<T> {
  let left = n;
  // `undefined` once we are done with the inner stream: from then on we only ever say END.
  let inner: Stream<T> | undefined = stream;
  const release = (): void => {
    const s = inner;
    inner = undefined;
    s?.drop?.(); // Rust would drop the inner stream; here that cancels its timer
  };
  return {
    pollNext(cx: Context): Poll<T | typeof END> {
      if (inner === undefined || left <= 0) {
        release();
        return Ready(END); // fused: END, and END again, without touching the inner stream
      }
      const p = inner.pollNext(cx);
      if (!p.ready) return Pending;
      if (p.value === END) {
        release();
        return Ready(END);
      }
      left -= 1;
      // That was the last item we want: let go of the inner stream now, not at some later poll.
      if (left === 0) release();
      return Ready(p.value);
    },
    drop() {
      release();
    },
  };
}

export function collect<T>(stream: Stream<T>): Future<T[]> {
  const items: T[] = [];
  let done = false;
  return {
    poll(cx: Context): Poll<T[]> {
      if (done) throw new Error('collect polled after it returned Ready');
      // Take everything that is ready now; stop at the first Pending (the stream holds our waker)
      // or at END.
      for (;;) {
        const p = stream.pollNext(cx);
        if (!p.ready) return Pending;
        if (p.value === END) {
          done = true;
          return Ready(items);
        }
        items.push(p.value);
      }
    },
    drop() {
      if (done) return;
      done = true;
      stream.drop?.();
    },
  };
}
