// run_queue_executor: poll only the tasks that asked to be polled.
//
// Goal: an executor runs many tasks on one thread. The one below does it the
// simple way: every round it polls *every* unfinished task, then turns the
// reactor. With 1000 sleeping tasks that is about 1000 polls per timer, nearly
// all of them wasted, and the order of polls says nothing about who is ready.
//
// Build the executor from the Async Book instead, with a run queue:
//   - each task has its own waker; waking it pushes the task onto the back
//     of the queue (first woken, first polled);
//   - `spawn` counts as the first wake: the new task goes on the queue;
//   - `run()` pops a task, polls it (adding its name to `trace`), and repeats;
//     when the queue is empty it turns the reactor, whose wakes refill it;
//     it returns when every task has finished, or when the queue is empty and
//     `reactor.turn()` returns false (nothing more can happen);
//   - a task already in the queue is not queued twice (`queueLength` counts
//     the tasks waiting in the queue);
//   - a wake that arrives after the task finished is ignored;
//   - a finished task is let go: `liveTasks` counts only unfinished ones.
//
// TODO: give each spawned task a record (name, future, "queued" flag) and a
//       waker whose `wake()` puts that record on the run queue.
// TODO: rewrite `run()`, `queueLength` and `liveTasks` around the queue.
//
// Rust equivalent: the book's `Executor { ready_queue }` and `Spawner`, with
// an `ArcWake` whose `wake_by_ref` sends the `Arc<Task>` back down a channel.

import type { Context, Future, Waker } from '../_lib/future';

/** What the executor needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  /**
   * Wakes whatever is due, jumping ahead to the next timer if nothing is.
   * Returns false when there was nothing at all to wake.
   */
  turn(): boolean;
}

interface Task {
  name: string;
  fut: Future<unknown>;
  done: boolean;
}

// This executor never looks at wakes, so its waker does nothing.
const ignored: Waker = {
  wake() {},
  clone: () => ignored,
  willWakeSame: (other) => other === ignored,
};

export class Executor {
  /** The names of the tasks polled, in the order they were polled. */
  readonly trace: string[] = [];
  private readonly reactor: Reactor;
  private readonly tasks: Task[] = [];

  constructor(reactor: Reactor) {
    this.reactor = reactor;
  }

  /** Adds a task; it is first polled by the next `run()`. */
  spawn(name: string, fut: Future<unknown>): void {
    this.tasks.push({ name, fut, done: false });
  }

  /** Tasks waiting in the run queue. */
  get queueLength(): number {
    return 0;
  }

  /** Tasks not finished yet. */
  get liveTasks(): number {
    return this.tasks.length;
  }

  run(): void {
    const cx: Context = { waker: ignored };
    for (;;) {
      // Poll everybody, ready or not.
      for (const task of this.tasks) {
        if (task.done) continue;
        this.trace.push(task.name);
        if (task.fut.poll(cx).ready) task.done = true;
      }
      if (this.tasks.every((t) => t.done)) return;
      if (!this.reactor.turn()) return;
    }
  }
}
