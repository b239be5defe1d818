// task_dump: ask every waiting task what it is waiting for.
//
// "Stack traces in async Rust typically contain details from these state
// machines, as well as function calls from the runtime."
//
// A stack trace is taken when something fails. A hang has no failure and so
// no trace: the tasks just sit there, Pending. What helps then is a *task
// dump*: for each task that has not finished, the chain of futures it is
// suspended in, each saying which state it is in:
//
//   #1 user-42: FetchTwo[AwaitB](Read(fd=5))
//   #2 both: Join(Sleep(until=500), done)
//   #3 race: Select(Sleep(until=400), Read(fd=7))
//   #5 stuck: Forgot (no waker registered!)
//
// Every future here has `describe()`. A leaf describes itself (the checks'
// leaves say `Sleep(until=500)`, `Read(fd=5)`, …); a combinator describes
// itself and then asks the children it is still waiting for to describe
// themselves: the same recursion `poll` uses.
//
// Tasks:
//   1. `Join.describe()` → `Join(<a>, <b>)`, a finished child as `done`;
//      `Select.describe()` → `Select(<a>, <b>)`;
//      `FetchTwo.describe()` → `FetchTwo[<state>](<the read it waits for>)`,
//      or `FetchTwo[Done]` once it has finished.
//   2. `DumpExecutor.dump()` → one line per task that has not finished, by id:
//      `#<id> <name>: <describe()>`; a task that is neither in the run queue nor
//      held by any reactor registration gets ` (no waker registered!)`: nothing
//      will ever poll it again (a lost wakeup).
//
// TODO: write the three describe() methods.
// TODO: write dump().
//
// Rust equivalent: tokio-console (tasks, their state and wakers, via
// `console-subscriber`), tokio's unstable `Handle::dump()` task dumps, and
// `async-backtrace`'s `#[framed]` + `taskdump_tree`, which print this very tree.

import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';

/** A future that can say what it is waiting for. */
export interface Traced<T> extends Future<T> {
  describe(): string;
}

/** Both outputs; polls each unfinished child on every poll. Rust: `futures::join!`. */
export class Join<A, B> implements Traced<[A, B]> {
  readonly a: Traced<A>;
  readonly b: Traced<B>;
  ra: { value: A } | undefined = undefined;
  rb: { value: B } | undefined = undefined;

  constructor(a: Traced<A>, b: Traced<B>) {
    this.a = a;
    this.b = b;
  }

  poll(cx: Context): Poll<[A, B]> {
    if (this.ra === undefined) {
      const p = this.a.poll(cx);
      if (p.ready) this.ra = { value: p.value };
    }
    if (this.rb === undefined) {
      const p = this.b.poll(cx);
      if (p.ready) this.rb = { value: p.value };
    }
    return this.ra !== undefined && this.rb !== undefined ? Ready([this.ra.value, this.rb.value]) : Pending;
  }

  describe(): string {
    return 'Join';
  }
}

/** The first output; drops the loser. Rust: `futures::select!` / `tokio::select!`. */
export class Select<A, B> implements Traced<A | B> {
  readonly a: Traced<A>;
  readonly b: Traced<B>;

  constructor(a: Traced<A>, b: Traced<B>) {
    this.a = a;
    this.b = b;
  }

  poll(cx: Context): Poll<A | B> {
    const pa = this.a.poll(cx);
    if (pa.ready) {
      this.b.drop?.();
      return pa;
    }
    const pb = this.b.poll(cx);
    if (pb.ready) {
      this.a.drop?.();
      return pb;
    }
    return Pending;
  }

  describe(): string {
    return 'Select';
  }
}

type FetchState = { tag: 'AwaitA'; a: Traced<string> } | { tag: 'AwaitB'; first: string; b: Traced<string> } | { tag: 'Done' };

/** `async { let a = open(keyA).await; let b = open(keyB).await; (a, b) }`, by hand. */
export class FetchTwo implements Traced<[string, string]> {
  state: FetchState;
  readonly open: (key: string) => Traced<string>;
  readonly keyB: string;

  constructor(open: (key: string) => Traced<string>, keyA: string, keyB: string) {
    this.open = open;
    this.keyB = keyB;
    this.state = { tag: 'AwaitA', a: open(keyA) };
  }

  poll(cx: Context): Poll<[string, string]> {
    for (;;) {
      if (this.state.tag === 'AwaitA') {
        const p = this.state.a.poll(cx);
        if (!p.ready) return Pending;
        this.state = { tag: 'AwaitB', first: p.value, b: this.open(this.keyB) };
      } else if (this.state.tag === 'AwaitB') {
        const p = this.state.b.poll(cx);
        if (!p.ready) return Pending;
        const first = this.state.first;
        this.state = { tag: 'Done' };
        return Ready([first, p.value]);
      } else {
        throw new Error('FetchTwo polled after it finished');
      }
    }
  }

  describe(): string {
    return 'FetchTwo';
  }
}

/** What the executor needs from the reactor. The checks pass a `VirtualReactor`. */
export interface Registrations {
  /** True when some timer or IO registration would wake the same task as `waker`. */
  holds(waker: Waker): boolean;
}

interface Task {
  id: number;
  name: string;
  fut: Traced<unknown>;
  waker: Waker;
  queued: boolean;
  finished: boolean;
}

/** A FIFO executor that can tell what its tasks are waiting for. */
export class DumpExecutor {
  readonly reactor: Registrations;
  readonly tasks: Task[] = [];
  readonly queue: Task[] = [];

  constructor(reactor: Registrations) {
    this.reactor = reactor;
  }

  /** Starts `fut` as a task; ids count from 1. */
  spawn(name: string, fut: Traced<unknown>): number {
    const waker: Waker = {
      wake: () => this.schedule(task),
      clone: () => waker,
      willWakeSame: (other) => other === waker,
    };
    const task: Task = { id: this.tasks.length + 1, name, fut, waker, queued: false, finished: false };
    this.tasks.push(task);
    this.schedule(task);
    return task.id;
  }

  schedule(task: Task): void {
    if (task.queued || task.finished) return;
    task.queued = true;
    this.queue.push(task);
  }

  /** Polls woken tasks until none is runnable (the caller moves time on). */
  runReady(): void {
    for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
      task.queued = false;
      if (task.fut.poll({ waker: task.waker }).ready) task.finished = true;
    }
  }

  /** One line per task that has not finished, by id. */
  dump(): string[] {
    return [];
  }
}
