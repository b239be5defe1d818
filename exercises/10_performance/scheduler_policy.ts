// scheduler_policy: run the task that was just woken, but not forever.
//
// Chapter: "The performance of async Rust depends on the implementation of
// the async runtime you're using."
//
// Goal: two tasks pass messages back and forth (ping-pong) while a few
// background tasks also want the CPU. The scheduler below is strictly FIFO:
// when ping sends to pong, pong waits behind every background task before it
// can read the message, so every message waits a whole round.
//
// Give the scheduler a LIFO slot, as tokio's workers have:
//   - a task woken *by the task being polled* (not by itself) goes into the
//     slot and runs next; if the slot already held a task, that one moves to
//     the back of the queue;
//   - any other wake (a task waking itself to yield, a wake from outside a
//     poll) goes to the back of the queue, as now;
//   - at most MAX_LIFO_POLLS tasks in a row may come from the slot; then the
//     task in the slot goes to the back of the queue and the next task comes
//     from the front of the queue (which starts a new count);
//   - a task already waiting (in the queue or in the slot) is not queued
//     again, and a finished task never is.
// The policy changes only the order: every task is polled exactly as often
// as with FIFO.
//
// TODO: add the slot and the count of consecutive slot polls.
// TODO: decide in `schedule` where a woken task goes, and in `run` where
//       the next task comes from.
//
// Rust equivalent: tokio's multi-thread worker keeps a LIFO slot beside its
// run queue and takes at most 3 tasks in a row from it
// (MAX_LIFO_POLLS_PER_TICK); the unstable Builder::disable_lifo_slot turns
// it off. async-std, smol and glommio make other choices.

import type { Future, Waker } from '../_lib/future';

/** How many tasks in a row may run from the LIFO slot (tokio: 3). */
export const MAX_LIFO_POLLS = 3;

class Task {
  readonly name: string;
  /** The future, until it finishes. */
  fut: Future<unknown> | undefined;
  /** True while the task waits to be polled. */
  queued = false;
  readonly waker: Waker;

  constructor(name: string, fut: Future<unknown>, schedule: (task: Task) => void) {
    this.name = name;
    this.fut = fut;
    const waker: Waker = {
      wake: () => schedule(this),
      clone: () => waker,
      willWakeSame: (other) => other === waker,
    };
    this.waker = waker;
  }
}

export class Scheduler {
  /** The names of the tasks polled, in the order they were polled. */
  readonly trace: string[] = [];
  private readonly queue: Task[] = [];
  /** The task being polled right now, if any. */
  private current: Task | undefined;
  private live = 0;

  /** Adds a task; spawning counts as its first wake (from outside any poll). */
  spawn(name: string, fut: Future<unknown>): void {
    this.live += 1;
    this.schedule(new Task(name, fut, (t) => this.schedule(t)));
  }

  /** Tasks not finished yet. */
  get liveTasks(): number {
    return this.live;
  }

  private schedule(task: Task): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
    this.queue.push(task);
  }

  /** Polls woken tasks until none is left to poll. */
  run(): void {
    for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
      task.queued = false;
      const fut = task.fut;
      if (fut === undefined) continue;
      this.trace.push(task.name);
      this.current = task;
      const done = fut.poll({ waker: task.waker }).ready;
      this.current = undefined;
      if (done) {
        task.fut = undefined;
        this.live -= 1;
      }
    }
  }
}
