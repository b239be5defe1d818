// @rejects polls in the order the wakes happened
// Mistake: keeps a "queued" flag per task but no queue: each round scans the tasks in spawn order and polls the flagged ones, so tasks woken in another order run in spawn order.
//
// Rust equivalent: the book's `Executor { ready_queue }` and `Spawner`, with
// an `ArcWake` whose `wake_by_ref` sends the `Arc<Task>` back down a channel.

import type { Future, Waker } from '../_lib/future';

/** What the executor needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  /**
   * Wakes whatever is due, jumping ahead to the next timer if nothing is.
   * Returns false when there was nothing at all to wake.
   */
  turn(): boolean;
}

/** What the executor keeps per task: Rust's `Arc<Task>`. */
class Task {
  readonly name: string;
  /** The future, until it finishes; then undefined, so it can be freed. */
  fut: Future<unknown> | undefined;
  /** True while the task sits in the run queue: the dedupe flag. */
  queued = false;
  readonly waker: Waker;

  constructor(name: string, fut: Future<unknown>, schedule: (task: Task) => void) {
    this.name = name;
    this.fut = fut;
    // The waker is the only way back into the queue. Every clone is the same
    // object, so `willWakeSame` can compare identities.
    const waker: Waker = {
      wake: () => schedule(this),
      clone: () => waker,
      willWakeSame: (other) => other === waker,
    };
    this.waker = waker;
  }
}

export class Executor {
  /** The names of the tasks polled, in the order they were polled. */
  readonly trace: string[] = [];
  private readonly reactor: Reactor;
  private readonly tasks: Task[] = [];
  private live = 0;

  constructor(reactor: Reactor) {
    this.reactor = reactor;
  }

  /** Adds a task; spawning counts as its first wake. */
  spawn(name: string, fut: Future<unknown>): void {
    const task = new Task(name, fut, (t) => this.schedule(t));
    this.tasks.push(task);
    this.live += 1;
    this.schedule(task);
  }

  /** Tasks waiting in the run queue. */
  get queueLength(): number {
    return this.tasks.filter((t) => t.queued).length;
  }

  /** Tasks not finished yet. */
  get liveTasks(): number {
    return this.live;
  }

  // "Push this task, unless it is already queued" (and not if it has finished).
  private schedule(task: Task): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
  }

  run(): void {
    for (;;) {
      let polled = false;
      // Every task that was woken, in the order they were spawned.
      for (const task of this.tasks) {
        if (!task.queued) continue;
        task.queued = false;
        const fut = task.fut;
        if (fut === undefined) continue;
        polled = true;
        this.trace.push(task.name);
        if (fut.poll({ waker: task.waker }).ready) {
          task.fut = undefined; // release the finished future
          this.live -= 1;
        }
      }
      if (polled) continue;
      if (this.live === 0 || !this.reactor.turn()) return;
    }
  }
}
