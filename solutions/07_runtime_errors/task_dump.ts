// task_dump: reference solution.
//
// Rust equivalent: what async-backtrace's `taskdump_tree` prints, one `#[framed]` future per line.

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
    // Only the children still running say what they wait for; a finished one has nothing left.
    const a = this.ra === undefined ? this.a.describe() : 'done';
    const b = this.rb === undefined ? this.b.describe() : 'done';
    return `Join(${a}, ${b})`;
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
    return `Select(${this.a.describe()}, ${this.b.describe()})`;
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
    const s = this.state;
    if (s.tag === 'AwaitA') return `FetchTwo[AwaitA](${s.a.describe()})`;
    if (s.tag === 'AwaitB') return `FetchTwo[AwaitB](${s.b.describe()})`;
    return 'FetchTwo[Done]';
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
    return this.tasks
      .filter((t) => !t.finished)
      .map((t) => {
        // Queued: it will be polled. Held by the reactor: something will wake it. Neither: lost.
        const lost = !t.queued && !this.reactor.holds(t.waker);
        return `#${t.id} ${t.name}: ${t.fut.describe()}${lost ? ' (no waker registered!)' : ''}`;
      });
  }
}
