// quiz1_mini_runtime: reference solution.
//
// Rust equivalent: a miniature tokio: `Runtime::block_on`-style driving,
// `tokio::spawn` → `JoinHandle`, `tokio::time::sleep`, `futures::join!`, and
// an `async fn` compiled into a state machine over `BoxFuture`s.

import { type Context, type Future, type Poll, type Waker, Pending, Ready } from '../_lib/future';

/** The reactor: the checks pass a `VirtualReactor`. */
export interface Reactor {
  /** The current virtual time in ms. */
  readonly now: number;
  /** Wake `waker` once `now >= deadline`. Pass an earlier id as `replace` to update that timer. Returns the timer's id. */
  registerTimer(deadline: number, waker: Waker, replace?: number): number;
  /** Removes a pending timer. */
  cancelTimer(id: number): boolean;
  /** Wakes what is due, jumping to the next timer if nothing is; false when there was nothing to wake. */
  turn(): boolean;
}

/**
 * Rust: `trait Store { fn get(&self, key: &str) -> BoxFuture<'_, String>; }`. Each implementation's
 * future has its own concrete type; boxing erases it, so one `handler` works with every store.
 */
export interface Store {
  get(key: string): Future<string>;
}

/** Rust: `tokio::task::JoinHandle<T>` (here without errors or abort). */
export type JoinHandle<T> = Future<T>;

export function render(user: string, posts: string): string {
  return `${user}: ${posts}`;
}

// ---- the leaf: one timer registration, replaced on every Pending poll ----

export function sleep(reactor: Reactor, ms: number): Future<void> {
  const deadline = reactor.now + ms; // fixed now, as tokio does
  let timer: number | undefined;
  const cancel = (): void => {
    if (timer !== undefined) reactor.cancelTimer(timer);
    timer = undefined;
  };
  return {
    poll(cx: Context): Poll<void> {
      if (reactor.now >= deadline) {
        cancel();
        return Ready(undefined);
      }
      // Replace (not add) the registration, with the latest waker.
      timer = reactor.registerTimer(deadline, cx.waker.clone(), timer);
      return Pending;
    },
    drop: cancel,
  };
}

// ---- the combinator: poll what is unfinished, keep what is done ----

export function join<A, B>(a: Future<A>, b: Future<B>): Future<[A, B]> {
  let ra: Poll<A> = Pending;
  let rb: Poll<B> = Pending;
  return {
    poll(cx: Context): Poll<[A, B]> {
      if (!ra.ready) ra = a.poll(cx);
      if (!rb.ready) rb = b.poll(cx);
      return ra.ready && rb.ready ? Ready([ra.value, rb.value]) : Pending;
    },
    drop() {
      if (!ra.ready) a.drop?.();
      if (!rb.ready) b.drop?.();
    },
  };
}

// ---- the executor: run queue, wakers that push, handles that share a slot ----

interface Runnable {
  queued: boolean;
  /** True once the task has its result: wakes are ignored from then on. */
  readonly finished: boolean;
  /** Polls once; true when the task finished during this poll. */
  step(): boolean;
}

class Task<T> implements Runnable {
  queued = false;
  fut: Future<T> | undefined;
  result: { value: T } | undefined;
  waiter: Waker | undefined;
  readonly waker: Waker;

  constructor(fut: Future<T>, schedule: (task: Runnable) => void) {
    this.fut = fut;
    const waker: Waker = {
      wake: () => schedule(this),
      clone: () => waker,
      willWakeSame: (other) => other === waker,
    };
    this.waker = waker;
  }

  get finished(): boolean {
    return this.fut === undefined;
  }

  step(): boolean {
    const fut = this.fut;
    if (fut === undefined) return false;
    const p = fut.poll({ waker: this.waker });
    if (!p.ready) return false;
    this.fut = undefined;
    this.result = { value: p.value };
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.wake();
    return true;
  }
}

export class MiniRuntime {
  readonly reactor: Reactor;
  readonly queue: Runnable[] = [];
  live = 0;

  constructor(reactor: Reactor) {
    this.reactor = reactor;
  }

  spawn<T>(fut: Future<T>): JoinHandle<T> {
    const task = new Task(fut, (t) => this.schedule(t));
    this.live += 1;
    this.schedule(task);
    return {
      poll(cx: Context): Poll<T> {
        if (task.result !== undefined) return Ready(task.result.value);
        task.waiter = cx.waker.clone();
        return Pending;
      },
    };
  }

  schedule(task: Runnable): void {
    if (task.queued || task.finished) return;
    task.queued = true;
    this.queue.push(task);
  }

  run(): void {
    for (;;) {
      for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
        task.queued = false;
        if (task.step()) this.live -= 1;
      }
      if (this.live === 0 || !this.reactor.turn()) return;
    }
  }
}

// ---- the async fn, by hand: one state per await point ----

type HandlerState =
  | { at: 'start' }
  | { at: 'joining'; fut: Future<[string, string]> }
  | { at: 'sleeping'; fut: Future<void>; user: string; posts: string }
  | { at: 'done' };

class Handler implements Future<string> {
  state: HandlerState = { at: 'start' };
  readonly reactor: Reactor;
  readonly store: Store;
  readonly id: number;

  constructor(reactor: Reactor, store: Store, id: number) {
    this.reactor = reactor;
    this.store = store;
    this.id = id;
  }

  poll(cx: Context): Poll<string> {
    for (;;) {
      const s = this.state;
      switch (s.at) {
        case 'start':
          // Nothing happens before the first poll, as with an async fn.
          this.state = { at: 'joining', fut: join(this.store.get(`user:${this.id}`), this.store.get(`posts:${this.id}`)) };
          break;
        case 'joining': {
          const p = s.fut.poll(cx);
          if (!p.ready) return Pending;
          const [user, posts] = p.value;
          // The sleep is created here, after the join: its 10 ms start now.
          this.state = { at: 'sleeping', fut: sleep(this.reactor, 10), user, posts };
          break;
        }
        case 'sleeping': {
          if (!s.fut.poll(cx).ready) return Pending;
          this.state = { at: 'done' };
          return Ready(render(s.user, s.posts));
        }
        case 'done':
          throw new Error('handler polled after it finished');
      }
    }
  }

  drop(): void {
    const s = this.state;
    if (s.at === 'joining' || s.at === 'sleeping') s.fut.drop?.();
    this.state = { at: 'done' };
  }
}

export function handler(reactor: Reactor, store: Store, id: number): Future<string> {
  return new Handler(reactor, store, id);
}
