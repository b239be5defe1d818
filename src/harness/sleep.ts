/*
 * The trusted timer leaf on the VirtualReactor. Checks and exercises use it where they need a
 * future that is known to be correct, so a check fails only for the learner's own code.
 */
import type { TimerId, VirtualReactor } from './reactor.js';
import { type Context, type Future, type Poll, type Waker, Pending, Ready } from './types.js';

/**
 * The trusted timer leaf (Rust: `tokio::time::Sleep`). Ready once `reactor.now >= deadline`. On a
 * Pending poll it holds exactly one timer registration carrying the latest waker; `drop()` cancels it.
 */
export class Sleep implements Future<void> {
  /** The virtual time at which it becomes ready. */
  readonly deadline: number;
  readonly #reactor: VirtualReactor;
  #timer: TimerId | undefined;
  #waker: Waker | undefined;
  #state: 'waiting' | 'done' | 'dropped' = 'waiting';

  /** Prefer `sleep(reactor, ms)` or `sleepUntil(reactor, deadline)`. */
  constructor(reactor: VirtualReactor, deadline: number) {
    this.#reactor = reactor;
    this.deadline = deadline;
  }

  poll(cx: Context): Poll<void> {
    if (this.#state === 'done') throw new Error('sleep polled after it returned Ready: a finished future must not be polled again.');
    if (this.#state === 'dropped') throw new Error('sleep polled after drop(): a cancelled future must not be polled again.');
    if (this.#reactor.now >= this.deadline) {
      this.#cancel();
      this.#state = 'done';
      return Ready(undefined);
    }
    // Keep the registration when the same task polls again; replace the waker when another task does.
    const registered = this.#timer !== undefined && this.#reactor.registrations(this.#timer).length === 1;
    if (!registered || this.#waker === undefined || !this.#waker.willWakeSame(cx.waker)) {
      this.#waker = cx.waker.clone();
      this.#timer = this.#reactor.registerTimer(this.deadline, this.#waker, this.#timer);
    }
    return Pending;
  }

  /** Cancels the timer. Idempotent. */
  drop(): void {
    this.#cancel();
    if (this.#state === 'waiting') this.#state = 'dropped';
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.#reactor.cancelTimer(this.#timer);
    this.#waker = undefined;
  }
}

/**
 * A future that is Ready `ms` virtual milliseconds after it is created (the deadline is fixed at
 * creation, as in tokio; a future created later, e.g. inside a lazy wrapper, ends later).
 */
export function sleep(reactor: VirtualReactor, ms: number): Sleep {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError(`sleep(reactor, ms): ms must be a finite number ≥ 0, but got ${String(ms)}.`);
  return new Sleep(reactor, reactor.now + ms);
}

/** A future that is Ready once `reactor.now >= deadline`. */
export function sleepUntil(reactor: VirtualReactor, deadline: number): Sleep {
  return new Sleep(reactor, deadline);
}
