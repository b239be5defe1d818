// slow_poll_detector: make blocking inside a poll visible.
//
// The chapter: "…if you call a blocking function from an async context…"
// nothing warns you. A poll is meant to take microseconds; one that takes
// 250 ms is blocking work in disguise, and every other task (and every timer)
// waits behind it. Runtimes catch it by timing each poll.
//
// `Executor` below is a working FIFO executor: `spawn(name, fut)` queues a
// task, `run()` polls woken tasks and turns the reactor when none is
// runnable. It has no instrumentation. Add two measurements, both on the
// reactor's clock (`reactor.now`, virtual time; the checks' "blocking work"
// is `reactor.cpu(ms)`, which moves that clock during a poll):
//   - a poll that takes MORE than `slowPollMs` (default 50) calls
//     `onSlowPoll({ task, ms })` once, after the poll, with the task's name
//     and how long that one poll took. Time each poll on its own: many
//     short polls of one task are not slow;
//   - `stats.maxTimerLatency`: the most any timer was overdue when the
//     executor got round to turning the reactor for it. Just before each
//     turn, a due timer has been waiting `now - reactor.nextDeadline()` ms
//     (0 when the deadline is still ahead). Keep the largest.
// Measure only: the scheduling itself stays as it is.
//
// TODO: time every poll; report the slow ones.
// TODO: record stats.maxTimerLatency before each turn.
//
// Rust equivalent: tokio's `RuntimeMetrics` poll-time histogram
// (`poll_time_histogram_*`, behind `tokio_unstable`), and tokio-console's
// lints for a task that has not yielded for a long time.

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
      if (this.live === 0 || !reactor.turn()) return;
    }
  }

  private schedule(task: Task): void {
    if (task.queued || task.done) return;
    task.queued = true;
    this.queue.push(task);
  }

  private poll(task: Task): void {
    const result = task.fut.poll({ waker: task.waker });
    if (result.ready) {
      task.done = true;
      this.live -= 1;
    }
  }
}
