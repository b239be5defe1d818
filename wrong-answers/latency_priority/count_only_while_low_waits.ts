// @rejects a low task woken after a long run of high polls goes next
// Mistake: counts high polls in a row only while a low task waits, so a low task woken after a long high run still waits ten more.
// latency_priority: reference solution.
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

  constructor(readonly name: string, readonly priority: Priority, fut: Future<unknown>, schedule: (t: Task) => void) {
    this.fut = fut;
    const waker: Waker = { wake: () => schedule(this), clone: () => waker, willWakeSame: (o) => o === waker };
    this.waker = waker;
  }
}

export class PriorityExecutor {
  /** The names of the tasks polled, in order. */
  readonly trace: string[] = [];
  private readonly high: Task[] = [];
  private readonly low: Task[] = [];
  /** High polls since the last low one. */
  private highInARow = 0;
  private live = 0;

  constructor(private readonly reactor: Reactor) {}

  spawn(name: string, fut: Future<unknown>, options: SpawnOptions = {}): void {
    this.live += 1;
    this.schedule(new Task(name, options.priority ?? 'low', fut, (t) => this.schedule(t)));
  }

  private schedule(task: Task): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
    (task.priority === 'high' ? this.high : this.low).push(task);
  }

  private next(): Task | undefined {
    // The guard: urgent work first, but a waiting low task gets one poll in every MAX_HIGH_IN_A_ROW + 1.
    if (this.high.length > 0 && (this.highInARow < MAX_HIGH_IN_A_ROW || this.low.length === 0)) {
      this.highInARow = this.low.length === 0 ? 0 : this.highInARow + 1;
      return this.high.shift();
    }
    this.highInARow = 0;
    return this.low.shift();
  }

  /** Runs until every task has finished or nothing can happen any more. */
  run(): void {
    for (;;) {
      for (let task = this.next(); task !== undefined; task = this.next()) {
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
