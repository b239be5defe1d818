// quiz1_mini_runtime: a small async runtime, in one file.
//
// Quiz: this one puts topics 01 to 05 together: futures and polling, wakers,
// state machines, combinators, executors, join handles and boxed futures.
// No step-by-step help this time; the lessons of those topics are the help.
//
// Write, in this file:
//   - `sleep(reactor, ms)`: a leaf future, Ready once `reactor.now` reaches
//     the deadline `now + ms` (fixed when sleep() is called). While it waits
//     it holds exactly one timer on the reactor, carrying the waker of its
//     latest poll; Ready or `drop()` leaves no timer behind;
//   - `join(a, b)`: Ready with `[valueOfA, valueOfB]` once both are done;
//   - `MiniRuntime`: a single-threaded executor with a FIFO run queue.
//     `spawn(fut)` returns a `JoinHandle` (a future of the task's value,
//     whatever that value is: `undefined` and `0` too); a task woken twice
//     before its poll is polled once; `run()` runs until every task has
//     finished or nothing more can happen, and it is synchronous: when it
//     returns, the handles of finished tasks are Ready;
//   - `handler(reactor, store, id)`: a hand-written state machine for
//     the async fn below. Like a Rust future it does nothing until first
//     polled, and its `drop()` drops whatever it is waiting on. `store` is a
//     trait object: each Store returns its own kind of future behind one
//     type (in Rust a `BoxFuture`, `Pin<Box<dyn Future + Send>>`; the checks
//     hand you futures boxed with the course library's `box()`, some of them
//     Ready on their first poll):
//
//       async fn handler(store: &dyn Store, id: u32) -> String {
//           let (user, posts) = join!(store.get(&format!("user:{id}")),
//                                     store.get(&format!("posts:{id}")));
//           sleep(Duration::from_millis(10)).await;
//           render(&user, &posts)
//       }
//
// No Promise, async, await, setTimeout or queueMicrotask here: time and
// waiting come only from the reactor.
//
// TODO: everything below that throws.
//
// Rust equivalent: a miniature tokio: `Runtime::block_on`-style driving,
// `tokio::spawn` → `JoinHandle`, `tokio::time::sleep`, `futures::join!`, and
// an `async fn` compiled into a state machine over `BoxFuture`s.

import type { Future, Waker } from '../_lib/future';

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

export function sleep(reactor: Reactor, ms: number): Future<void> {
  void reactor;
  void ms;
  throw new Error('TODO: sleep');
}

export function join<A, B>(a: Future<A>, b: Future<B>): Future<[A, B]> {
  void a;
  void b;
  throw new Error('TODO: join');
}

export class MiniRuntime {
  readonly reactor: Reactor;

  constructor(reactor: Reactor) {
    this.reactor = reactor;
  }

  spawn<T>(fut: Future<T>): JoinHandle<T> {
    void fut;
    throw new Error('TODO: MiniRuntime.spawn');
  }

  run(): void {
    throw new Error('TODO: MiniRuntime.run');
  }
}

export function handler(reactor: Reactor, store: Store, id: number): Future<string> {
  void reactor;
  void store;
  void id;
  throw new Error('TODO: handler');
}
