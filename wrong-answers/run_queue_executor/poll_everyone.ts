// @rejects runs the scripted three tasks in FIFO wake order
// Mistake: polls every unfinished task each round (the starting code), so the order ignores who was woken.
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
