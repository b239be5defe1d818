// @rejects a falsy success is a success
// Mistake: tests the try's value for truthiness, so a success of 0, "" or false is retried as a failure.
// quiz3_latency_service: reference solution.
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
  let tries = 0;
  let current: Future<T | undefined> | undefined;
  let pause: Future<void> | undefined;
  return {
    poll(cx: Context): Poll<T | undefined> {
      for (;;) {
        if (pause !== undefined) {
          if (!pause.poll(cx).ready) return Pending;
          pause = undefined;
        }
        current ??= attempt();
        const p = current.poll(cx);
        if (!p.ready) return Pending;
        current = undefined;
        if (p.value || tries === delays.length) return Ready(p.value);
        pause = rt.sleep(delays[tries] ?? 0);
        tries += 1;
      }
    },
    drop() {
      current?.drop?.();
      pause?.drop?.();
      current = undefined;
      pause = undefined;
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
  private highInARow = 0;

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
    const abort = () => {
      if (task.fut === undefined) return;
      // Rust: dropping the task's future; nothing of it runs or is kept afterwards.
      if (job.state === 'running') fut.drop?.();
      task.fut = undefined;
      job.state = 'aborted';
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
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
    (task.high ? this.high : this.low).push(task);
  }

  private next(): Task | undefined {
    if (this.high.length > 0 && (this.highInARow < MAX_HIGH_IN_A_ROW || this.low.length === 0)) {
      this.highInARow += 1;
      return this.high.shift();
    }
    this.highInARow = 0;
    return this.low.shift();
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
