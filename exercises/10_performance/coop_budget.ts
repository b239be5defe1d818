// coop_budget: a task that is always ready must still give up the CPU.
//
// Chapter: "The performance of async Rust depends on the implementation of
// the async runtime you're using."
//
// Goal: a consumer reads a channel that is full. Every `recv` is Ready at
// once, so the consumer's poll never returns: it reads all 10,000 items in
// one go, and a timer that fired meanwhile waits until the very end. Nothing
// is blocked in the usual sense; the task is simply never forced to yield.
//
// Add a cooperative budget, as tokio has:
//   - `coop` holds BUDGET (128) units; the executor calls `coop.reset()`
//     before each poll, so every poll of every task starts with a full
//     budget;
//   - `coop.consume()` takes one unit and returns true, or returns false
//     when none is left;
//   - `recv` takes a unit whenever it has something to return (an item, or
//     END once the channel is closed and empty). When the budget is spent it
//     does not return Ready: it wakes its own task (`cx.waker.wake()`) and
//     returns Pending. This is an honest yield: the task is queued again
//     behind everybody else, and the item waits for the next poll;
//   - an empty, open channel takes no unit: it keeps the waker and returns
//     Pending, as now.
//
// TODO: write `Budget.reset` and `Budget.consume`.
// TODO: spend the budget on the Ready paths of `recv`.
// TODO: reset the budget before each poll in `Executor.run`.
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
    // TODO
  }

  /** Takes one unit: true if there was one left, false when the budget is spent. */
  consume(): boolean {
    // TODO
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
        if (this.items.length > 0) {
          // TODO: spend a unit of the budget (or yield) before returning.
          return Ready(this.items.shift() as T);
        }
        if (this.closed) return Ready(END);
        this.waker = cx.waker.clone();
        return Pending;
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
