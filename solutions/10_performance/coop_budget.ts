// coop_budget: reference solution.
//
// Rust equivalent: tokio's cooperative scheduling. Every task poll gets a
// budget of 128 units, kept in a thread-local; tokio's own leaf futures
// (channel recv, sockets, timers) spend it, `tokio::task::consume_budget()`
// lets CPU-bound code spend it too, and `tokio::task::unconstrained(fut)`
// opts a future out.

import { END, Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';

/** Units per poll (tokio: 128). */
export const BUDGET = 128;

/** The budget of the poll running now. Rust: tokio's `coop::Budget`, kept in a thread-local. */
export class Budget {
  private remaining = BUDGET;

  /** Gives the next poll a full budget. */
  reset(): void {
    this.remaining = BUDGET;
  }

  /** Takes one unit: true if there was one left, false when the budget is spent. */
  consume(): boolean {
    if (this.remaining === 0) return false;
    this.remaining -= 1;
    return true;
  }
}

/** The one budget the executor and every leaf share. */
export const coop = new Budget();

/** An unbounded channel with one receiver. Rust: `tokio::sync::mpsc::unbounded_channel`. */
export class Channel<T> {
  private readonly items: T[] = [];
  private closed = false;
  private waker: Waker | undefined;

  send(value: T): void {
    this.items.push(value);
    this.wakeReceiver();
  }

  /** No more items will come; `recv` returns END once the buffered ones are read. */
  close(): void {
    this.closed = true;
    this.wakeReceiver();
  }

  /** The next item, or END when the channel is closed and empty. */
  recv(): Future<T | typeof END> {
    return {
      poll: (cx: Context): Poll<T | typeof END> => {
        if (this.items.length === 0 && !this.closed) {
          this.waker = cx.waker.clone();
          return Pending;
        }
        // Something to return: that costs a unit. Without one, yield honestly:
        // queue ourselves again and let the other tasks run first.
        if (!coop.consume()) {
          cx.waker.wake();
          return Pending;
        }
        return this.items.length > 0 ? Ready(this.items.shift() as T) : Ready(END);
      },
    };
  }

  private wakeReceiver(): void {
    const w = this.waker;
    this.waker = undefined;
    w?.wake();
  }
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

/** A FIFO executor that looks at its timers after every poll. */
export class Executor {
  /** The names of the tasks polled, in order. */
  readonly trace: string[] = [];
  private readonly queue: Task[] = [];
  private live = 0;

  constructor(private readonly reactor: Reactor) {}

  spawn(name: string, fut: Future<unknown>): void {
    this.live += 1;
    this.schedule(new Task(name, fut, (t) => this.schedule(t)));
  }

  private schedule(task: Task): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
    this.queue.push(task);
  }

  /** Runs until every task has finished or nothing can happen any more. */
  run(maxPolls = 100_000): void {
    let polls = 0;
    for (;;) {
      for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
        task.queued = false;
        const fut = task.fut;
        if (fut === undefined) continue;
        if (++polls > maxPolls) throw new Error(`run(): more than ${maxPolls} polls; task "${task.name}" keeps asking to be polled`);
        this.trace.push(task.name);
        coop.reset();
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
