// latency_priority: let the urgent task jump the queue, without starving the rest.
//
// Chapter: "Another overlooked use-case is latency sensitive tasks, which are
// important for drivers, GUI applications and so on. Such tasks depend on
// runtime and/or OS support in order to be scheduled appropriately."
//
// Goal: a GUI-like program. Twenty batch tasks each do 5 ms of work per poll
// and then yield. One input task must react to an event every 16 ms. The
// executor below is FIFO: when an event arrives, the input task waits behind
// every batch task, about 100 ms, and the user sees a frozen window.
//
// Give `spawn` a priority:
//   - `spawn(name, fut, { priority: 'high' })` marks a latency-sensitive
//     task; the default is 'low'. A task keeps its priority for life: every
//     wake puts it at the back of *its* queue (two FIFO queues);
//   - the next task to poll comes from the high queue when it has one;
//   - starvation guard: after MAX_HIGH_IN_A_ROW (10) high polls in a row,
//     if a low task is waiting, poll one low task (then count from 0 again).
//     A low poll for any reason starts the count again.
// The total work does not change: only who waits.
//
// TODO: keep each task's priority, and two queues.
// TODO: pick the next task in `run` by the rules above.
//
// Rust equivalent: tokio has no task priorities. Latency-sensitive work
// gets its own runtime or OS thread (with an OS priority), or a runtime
// that has them: glommio's task queues with shares, embassy's executors
// at different interrupt priorities. Node has none either (04_runtimes).

import type { Future, Waker } from '../_lib/future';

/** How many high polls in a row may run while a low task waits. */
export const MAX_HIGH_IN_A_ROW = 10;

export type Priority = 'high' | 'low';

export interface SpawnOptions {
  /** 'high' for latency-sensitive tasks; the default is 'low'. */
  priority?: Priority;
}

/** What the executor needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  /** Fires the timers due after `ms` more milliseconds (0: just the ones due now). */
  advance(ms: number): number;
  /** Waits for the next timer and fires it; false when there is nothing to wait for. */
  turn(): boolean;
}

class Task {
  fut: Future<unknown> | undefined;
  queued = false;
  readonly waker: Waker;

  constructor(readonly name: string, fut: Future<unknown>, schedule: (t: Task) => void) {
    this.fut = fut;
    const waker: Waker = { wake: () => schedule(this), clone: () => waker, willWakeSame: (o) => o === waker };
    this.waker = waker;
  }
}

export class PriorityExecutor {
  /** The names of the tasks polled, in order. */
  readonly trace: string[] = [];
  private readonly queue: Task[] = [];
  private live = 0;

  constructor(private readonly reactor: Reactor) {}

  spawn(name: string, fut: Future<unknown>, options: SpawnOptions = {}): void {
    void options;
    this.live += 1;
    this.schedule(new Task(name, fut, (t) => this.schedule(t)));
  }

  private schedule(task: Task): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
    this.queue.push(task);
  }

  /** Runs until every task has finished or nothing can happen any more. */
  run(): void {
    for (;;) {
      for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
        task.queued = false;
        const fut = task.fut;
        if (fut === undefined) continue;
        this.trace.push(task.name);
        if (fut.poll({ waker: task.waker }).ready) {
          task.fut = undefined;
          this.live -= 1;
        }
        // Timers that became due during that poll wake their tasks now.
        this.reactor.advance(0);
      }
      if (this.live === 0 || !this.reactor.turn()) return;
    }
  }
}
