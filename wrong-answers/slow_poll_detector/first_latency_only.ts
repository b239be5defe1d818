// @rejects maxTimerLatency keeps the largest delay
// Mistake: records the first late timer and never updates it, which passes whenever the first delay happens to be the largest.
// slow_poll_detector, solved: each poll is timed on the reactor's clock, and each turn notes how
// late the earliest due timer is.
//
// Rust equivalent: tokio's per-worker poll-time histogram and tokio-console's slow-poll warning.

import type { Future, Waker } from '../_lib/future';

/** What the executor needs from a reactor: `VirtualReactor` from the checks fits. */
export interface Reactor {
  /** The current (virtual) time in ms. */
  readonly now: number;
  /** The earliest pending timer deadline, or undefined when there is none. */
  nextDeadline(): number | undefined;
  /** Wakes what is due (jumping to the next deadline if nothing is); false when nothing could be woken. */
  turn(): boolean;
}

/** A poll that took too long. */
export interface SlowPoll {
  task: string;
  ms: number;
}

export interface ExecutorOptions {
  reactor: Reactor;
  /** Called after each poll that took more than `slowPollMs`. */
  onSlowPoll?: (report: SlowPoll) => void;
  /** The limit in ms (default 50). */
  slowPollMs?: number;
}

interface Task {
  readonly name: string;
  readonly fut: Future<unknown>;
  readonly waker: Waker;
  queued: boolean;
  done: boolean;
}

export class Executor {
  readonly stats = { maxTimerLatency: 0 };
  private readonly options: ExecutorOptions;
  private readonly queue: Task[] = [];
  private live = 0;

  constructor(options: ExecutorOptions) {
    this.options = options;
  }

  spawn(name: string, fut: Future<unknown>): void {
    const task: Task = {
      name,
      fut,
      queued: false,
      done: false,
      waker: {
        wake: () => this.schedule(task),
        clone: () => task.waker,
        willWakeSame: (other) => other === task.waker,
      },
    };
    this.live += 1;
    this.schedule(task);
  }

  /** Runs until every task has finished or nothing more can happen. */
  run(): void {
    const reactor = this.options.reactor;
    for (;;) {
      for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
        task.queued = false;
        this.poll(task);
      }
      if (this.live === 0) return;
      // The queue ran dry only now: a timer due earlier has been waiting since its deadline.
      const deadline = reactor.nextDeadline();
      if (deadline !== undefined && this.stats.maxTimerLatency === 0) this.stats.maxTimerLatency = Math.max(this.stats.maxTimerLatency, reactor.now - deadline);
      if (!reactor.turn()) return;
    }
  }

  private schedule(task: Task): void {
    if (task.queued || task.done) return;
    task.queued = true;
    this.queue.push(task);
  }

  private poll(task: Task): void {
    const { reactor, onSlowPoll, slowPollMs = 50 } = this.options;
    const started = reactor.now;
    const result = task.fut.poll({ waker: task.waker });
    // Nothing else can run during a poll, so the clock moved only by the work the poll did.
    const ms = reactor.now - started;
    if (ms > slowPollMs) onSlowPoll?.({ task: task.name, ms });
    if (result.ready) {
      task.done = true;
      this.live -= 1;
    }
  }
}
