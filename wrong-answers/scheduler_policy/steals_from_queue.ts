// @rejects a task already waiting in the queue keeps its place
// Mistake: when the running task wakes a task that is already waiting in the queue, pulls it out of the queue into the slot (a waiting task must not be queued again).
// scheduler_policy: reference solution.
//
// Rust equivalent: tokio's multi-thread worker keeps a LIFO slot beside its
// run queue and takes at most 3 tasks in a row from it
// (MAX_LIFO_POLLS_PER_TICK); the unstable Builder::disable_lifo_slot turns
// it off.

import type { Future, Waker } from '../_lib/future';

/** How many tasks in a row may run from the LIFO slot (tokio: 3). */
export const MAX_LIFO_POLLS = 3;

class Task {
  readonly name: string;
  /** The future, until it finishes. */
  fut: Future<unknown> | undefined;
  /** True while the task waits to be polled (in the queue or in the slot). */
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
  /** The task woken by the running one: it runs next, while its data is hot. */
  private lifo: Task | undefined;
  /** How many of the last polls in a row came from the slot. */
  private lifoStreak = 0;
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
    if (task.fut === undefined) return;
    if (task.queued) {
      if (this.current === undefined || this.current === task || this.lifo === task) return;
      const i = this.queue.indexOf(task);
      if (i >= 0) this.queue.splice(i, 1); // woken by the running task: it deserves the slot
    }
    task.queued = true;
    // Only a wake from another running task goes to the slot; a yield must
    // let the others run, and an outside wake has no hot data to reuse.
    if (this.current !== undefined && this.current !== task) {
      const bumped = this.lifo;
      this.lifo = task;
      if (bumped !== undefined) this.queue.push(bumped);
    } else {
      this.queue.push(task);
    }
  }

  private next(): Task | undefined {
    const slot = this.lifo;
    if (slot !== undefined) {
      this.lifo = undefined;
      if (this.lifoStreak < MAX_LIFO_POLLS) {
        this.lifoStreak += 1;
        return slot;
      }
      // The cap: two tasks waking each other would otherwise starve the queue.
      this.queue.push(slot);
    }
    this.lifoStreak = 0;
    return this.queue.shift();
  }

  /** Polls woken tasks until none is left to poll. */
  run(): void {
    for (let task = this.next(); task !== undefined; task = this.next()) {
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
