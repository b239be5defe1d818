// quiz3_latency_service: a GUI-like service that stays responsive.
//
// Quiz: this one puts topics 03, 09 and 10 together: cancellation by
// dropping a future (here through an AbortSignal), code that works on any
// runtime, and scheduling for latency. The lessons of those topics are the
// help.
//
// Chapter: "Another overlooked use-case is latency sensitive tasks, which are
// important for drivers, GUI applications and so on. Such tasks depend on
// runtime and/or OS support in order to be scheduled appropriately."
//
// Write, in this file:
//   - `retry(rt, attempt, delays)`: calls `attempt()` and polls the future
//     it returns; a Ready `undefined` is a failure: sleep `delays[i]` through
//     `rt.sleep` (the only clock you get: it may be any runtime's) and try
//     again. Ready with the first success, or `undefined` once every delay
//     has been used. Nothing starts before the first poll; `drop()` drops
//     the try or the sleep in progress;
//   - `Service`: an executor with two queues. `spawn(name, fut, {priority:
//     'high'})` is for input handling; everything else is low. High first,
//     but after MAX_HIGH_IN_A_ROW (10) high polls in a row a waiting low
//     task gets one poll. After each poll, `reactor.advance(0)`; when
//     nothing is runnable, `reactor.turn()`, and `run()` returns when that
//     says false;
//   - `Service.job(name, fut, signal)`: a low-priority task for `fut`,
//     cancelled by `signal`: aborted before its first poll (even before
//     `job` is called), it is never polled; aborted while running, its
//     future is dropped (`fut.drop()`) and never polled again, and its
//     result is discarded. `state` says 'queued', 'running', 'done' or
//     'aborted'; `result` is the value once 'done'.
// One thread: plain shared state, no Atomics; no Promise, setTimeout and
// friends: time comes only from the reactor and the runtime you are given.
//
// TODO: everything marked TODO below.
//
// Rust equivalent: a retry written against a small runtime trait (as
// runtime-agnostic crates do), tasks cancelled by dropping them (here:
// through an AbortSignal), and an urgent queue beside the batch queue.

import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';

/** What `retry` needs from a runtime: nothing but a sleep. */
export interface Runtime {
  sleep(ms: number): Future<void>;
}

/**
 * Tries `attempt()`; while it is Ready with `undefined` (a failure), sleeps `delays[i]` and tries
 * again. Ready with the first success, or `undefined` once every delay is used up.
 */
export function retry<T>(rt: Runtime, attempt: () => Future<T | undefined>, delays: readonly number[]): Future<T | undefined> {
  // TODO: retry after each delay; drop() what is in progress.
  void rt;
  void delays;
  let current: Future<T | undefined> | undefined;
  return {
    poll(cx: Context): Poll<T | undefined> {
      current ??= attempt();
      return current.poll(cx);
    },
  };
}

/** What the service needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  advance(ms: number): number;
  turn(): boolean;
}

export type JobState = 'queued' | 'running' | 'done' | 'aborted';

/** A job's outcome, read by the caller. */
export interface Job<T> {
  readonly state: JobState;
  readonly result: T | undefined;
}

/** After this many high polls in a row, a waiting low task gets one poll. */
export const MAX_HIGH_IN_A_ROW = 10;

interface Task {
  readonly name: string;
  readonly high: boolean;
  fut: Future<unknown> | undefined;
  queued: boolean;
  waker: Waker;
}

export class Service {
  readonly trace: string[] = [];
  private readonly high: Task[] = [];
  private readonly low: Task[] = [];

  constructor(private readonly reactor: Reactor) {}

  /** Spawns a task; 'high' for input handling, 'low' (the default) for the rest. */
  spawn(name: string, fut: Future<unknown>, options: { priority?: 'high' | 'low' } = {}): void {
    this.add(name, fut, options.priority === 'high');
  }

  /** Runs `fut` as a low-priority job that `signal` can cancel. */
  job<T>(name: string, fut: Future<T>, signal: AbortSignal): Job<T> {
    const job = { state: 'queued' as JobState, result: undefined as T | undefined };
    const task = this.add(
      name,
      {
        poll: (cx: Context): Poll<undefined> => {
          job.state = 'running';
          const p = fut.poll(cx);
          if (!p.ready) return Pending;
          job.state = 'done';
          job.result = p.value;
          return Ready(undefined);
        },
      },
      false,
    );
    // TODO: cancel the job when `signal` aborts.
    void signal;
    void task;
    return job;
  }

  private add(name: string, fut: Future<unknown>, high: boolean): Task {
    const task: Task = { name, high, fut, queued: false, waker: undefined as unknown as Waker };
    const waker: Waker = { wake: () => this.schedule(task), clone: () => waker, willWakeSame: (o) => o === waker };
    task.waker = waker;
    this.schedule(task);
    return task;
  }

  private schedule(task: Task): void {
    if (task.queued || task.fut === undefined) return;
    task.queued = true;
    this.low.push(task); // TODO: one queue per priority
  }

  private next(): Task | undefined {
    // TODO: high first, with the starvation guard. This is plain FIFO.
    return this.high.shift() ?? this.low.shift();
  }

  /** Runs until no task can make progress and no timer is left. */
  run(): void {
    for (;;) {
      for (let task = this.next(); task !== undefined; task = this.next()) {
        task.queued = false;
        const fut = task.fut;
        if (fut === undefined) continue;
        this.trace.push(task.name);
        if (fut.poll({ waker: task.waker }).ready) task.fut = undefined;
        this.reactor.advance(0);
      }
      if (!this.reactor.turn()) return;
    }
  }
}
