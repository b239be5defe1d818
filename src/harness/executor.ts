/*
 * A small, fully synchronous executor for checks (Rust: the book's §2.4 executor, with a FIFO run
 * queue, plus the instrumentation a check needs).
 *
 * A task is polled only when its waker was woken: spawn counts as the first wake, and a wake that
 * arrives while the task is being polled queues it again after the poll. So a correct future is
 * polled once plus once per wake, and a future that wakes itself to "try again" keeps the queue
 * non-empty forever, which `maxPolls` turns into a `SpinDetected` error instead of a hang.
 *
 * `stalled()` finds the other classic bug, a future that returns Pending without giving its waker
 * to anybody: the task is Pending, not queued, and none of the holders this executor knows (its
 * reactor, the other tasks' join handles, holders passed in) keeps a waker for it.
 */
import { SpinDetected } from './errors.js';
import type { VirtualReactor } from './reactor.js';
import { type Task, type TaskHandle, handleFor } from './task.js';
import type { Context, Future, Poll, Waker, WakerHolder } from './types.js';
import { makeWaker, sameWaker } from './wakers.js';
import { newTrace, record, setPolling, type Trace } from './timeline.js';

export type { TaskHandle, TaskState } from './task.js';

/** The default `maxPolls`: far above what a correct check scenario needs, reached in milliseconds by a spin. */
export const DEFAULT_MAX_POLLS = 10_000;

/** What `onPoll` listeners receive after each poll. */
export interface PollEvent {
  /** The task's name. */
  task: string;
  /** 1 for the executor's first poll, 2 for the next, … */
  index: number;
  /** What the poll returned (undefined when it threw). */
  result: Poll<unknown> | undefined;
  /** Virtual time before and after the poll (equal unless the poll called `reactor.cpu`). */
  startedAt: number;
  endedAt: number;
}

/** Options for `new TestExecutor`. */
export interface TestExecutorOptions {
  /** The reactor `run()` turns when no task is runnable, and asks in `stalled()`. */
  reactor?: VirtualReactor;
  /** Other things that keep wakers (channels, fake databases), asked in `stalled()`. */
  holders?: WakerHolder[];
}

/** Options for `runUntilStalled`, `run` and `blockOn`. */
export interface RunOptions {
  /** The most polls allowed before the queue empties (per reactor turn in `run`). Default 10 000. */
  maxPolls?: number;
  /** `run`/`blockOn`: the most reactor turns. Default 100 000. */
  maxTurns?: number;
}

/** A synchronous FIFO executor that records what it does. */
export class TestExecutor {
  /** The reactor given to the constructor, if any. */
  readonly reactor: VirtualReactor | undefined;
  /** The names of the tasks polled, in order. */
  readonly trace: string[] = [];
  #holders: WakerHolder[];
  #tasks: Task[] = [];
  #queue: Task[] = [];
  #current: Task | undefined;
  #polls = 0;
  #listeners: Array<(e: PollEvent) => void> = [];
  /** What every task did, for the timeline a failed check shows (harness/timeline.ts). */
  #timeline: Trace = newTrace();

  constructor(options: TestExecutorOptions = {}) {
    this.reactor = options.reactor;
    this.#holders = [...(options.holders ?? [])];
  }

  /** Polls made so far. */
  get polls(): number {
    return this.#polls;
  }

  /** Tasks waiting in the run queue. */
  get queueLength(): number {
    return this.#queue.length;
  }

  /** Tasks not finished yet. */
  get liveTasks(): number {
    return this.#tasks.filter((t) => t.state === 'pending').length;
  }

  /** Adds something that keeps wakers, for `stalled()` to ask. */
  watch(holder: WakerHolder): void {
    this.#holders.push(holder);
  }

  /** Calls `listener` after every poll. Returns a function that removes it. */
  onPoll(listener: (event: PollEvent) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Adds a task and queues it for its first poll (nothing is polled until a run method is called). */
  spawn<T>(name: string, fut: Future<T>): TaskHandle<T> {
    if (typeof fut !== 'object' || fut === null || typeof (fut as { poll?: unknown }).poll !== 'function') {
      throw new TypeError(`spawn("${name}", fut): fut must be a Future (an object with a poll(cx) method), but got ${fut === null ? 'null' : typeof fut}.`);
    }
    // The waker's callbacks close over `task`; they only run after it is initialised.
    const task: Task = {
      name, fut, state: 'pending', value: undefined, error: undefined, queued: false, rewake: false,
      polls: 0, wakes: 0, clones: 0, wokeDuringPoll: 0, finishedAt: undefined, waiter: undefined,
      waker: makeWaker({}, (clone) => this.#wake(task, clone), (clone) => {
        task.clones += 1;
        record(this.#timeline, this.#now(), name, 'clone', undefined, { clone });
      }),
    };
    this.#tasks.push(task);
    record(this.#timeline, this.#now(), name, 'spawn');
    this.#enqueue(task);
    return handleFor<T>(task, () => this.#now(), () => record(this.#timeline, this.#now(), name, 'drop'));
  }

  /**
   * Polls woken tasks, first woken first, until none is runnable. Returns the number of polls made.
   * Throws `SpinDetected` instead of making poll number `maxPolls + 1`. A task whose poll throws is
   * marked `failed` and the error is re-thrown.
   */
  runUntilStalled(options: RunOptions = {}): number {
    const cap = options.maxPolls ?? DEFAULT_MAX_POLLS;
    const perTask = new Map<Task, { polls: number; selfWakes: number }>();
    let made = 0;
    for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
      task.queued = false;
      if (task.state !== 'pending') continue;
      if (made >= cap) {
        const [worst, n] = [...perTask].reduce((a, b) => (b[1].polls > a[1].polls ? b : a));
        this.#timeline.spin = { task: worst.name, polls: n.polls };
        throw new SpinDetected({ kind: 'task', name: worst.name, polls: n.polls, cap, selfWakes: n.selfWakes, unwokenPolls: 0 });
      }
      made += 1;
      const stats = perTask.get(task) ?? { polls: 0, selfWakes: 0 };
      perTask.set(task, stats);
      const selfWakesBefore = task.wokeDuringPoll;
      this.#pollTask(task);
      stats.polls += 1;
      stats.selfWakes += task.wokeDuringPoll - selfWakesBefore;
    }
    return made;
  }

  /**
   * Runs until every task has finished or nothing more can happen: runs the queue dry, then turns
   * the reactor (if any) and repeats. Returns the number of polls made.
   */
  run(options: RunOptions = {}): number {
    const maxTurns = options.maxTurns ?? 100_000;
    let made = 0;
    for (let turns = 0; ; turns++) {
      made += this.runUntilStalled(options);
      if (this.liveTasks === 0 || this.reactor === undefined) return made;
      if (turns >= maxTurns) {
        throw new Error(`run(): the reactor turned ${maxTurns} times and ${this.liveTasks} task(s) are still pending; something keeps re-arming timers without finishing.`);
      }
      if (!this.reactor.turn()) return made;
    }
  }

  /** Spawns `fut` as task `name` (default "main"), runs, and returns its output, or explains why there is none. */
  blockOn<T>(fut: Future<T>, options: RunOptions & { name?: string } = {}): T {
    const handle = this.spawn(options.name ?? 'main', fut);
    this.run(options);
    if (handle.state === 'failed') throw handle.error;
    if (!handle.done) {
      const why = this.explainStalled() || `task "${handle.name}" is still Pending.`;
      throw new Error(`blockOn: the future did not finish and nothing more can happen.\n${why}`);
    }
    return handle.result;
  }

  /** Names of the tasks that are Pending, not queued, and whose waker nobody this executor knows holds. */
  stalled(): string[] {
    return this.#tasks.filter((t) => t.state === 'pending' && !t.queued && t !== this.#current && !this.#held(t.waker)).map((t) => t.name);
  }

  /** A sentence per stalled task saying what is wrong and what to do; '' when none is stalled. */
  explainStalled(): string {
    return this.stalled()
      .map(
        (name) =>
          `task "${name}" returned Pending and nothing will wake it: no timer, socket, channel or task holds its waker. ` +
          'A future may return Pending only after handing cx.waker (or a clone) to something that will call wake() when progress is possible',
      )
      .join('\n');
  }

  #held(waker: Waker): boolean {
    if (this.reactor?.holds(waker) === true) return true;
    if (this.#holders.some((h) => h.holds(waker))) return true;
    return this.#tasks.some((t) => t.waiter !== undefined && sameWaker(t.waiter, waker));
  }

  #now(): number {
    return this.reactor?.now ?? 0;
  }

  #enqueue(task: Task): void {
    if (task.queued) return;
    task.queued = true;
    this.#queue.push(task);
  }

  #wake(task: Task, clone: number): void {
    task.wakes += 1;
    if (task.state !== 'pending') return;
    const by = this.#current?.name;
    record(this.#timeline, this.#now(), task.name, this.#current === task ? 'self-wake' : 'wake', by === undefined || by === task.name ? undefined : by, { clone });
    if (this.#current === task) {
      task.wokeDuringPoll += 1;
      task.rewake = true;
      return;
    }
    this.#enqueue(task);
  }

  #pollTask(task: Task): void {
    const cx: Context = { waker: task.waker };
    const startedAt = this.#now();
    task.rewake = false;
    task.polls += 1;
    this.#polls += 1;
    this.trace.push(task.name);
    this.#current = task;
    setPolling({ trace: this.#timeline, task: task.name });
    let result: Poll<unknown> | undefined;
    try {
      result = task.fut.poll(cx);
    } catch (error) {
      record(this.#timeline, this.#now(), task.name, 'threw');
      task.state = 'failed';
      task.error = error;
      this.#finish(task);
      throw error;
    } finally {
      this.#current = undefined;
      setPolling(undefined);
      const event: PollEvent = { task: task.name, index: this.#polls, result, startedAt, endedAt: this.#now() };
      for (const l of this.#listeners) l(event);
    }
    record(this.#timeline, this.#now(), task.name, result.ready ? 'ready' : 'pending');
    if (result.ready) {
      task.state = 'done';
      task.value = result.value;
      this.#finish(task);
    } else if (task.rewake) {
      this.#enqueue(task);
    }
  }

  #finish(task: Task): void {
    task.finishedAt = this.#now();
    const waiter = task.waiter;
    task.waiter = undefined;
    waiter?.wake();
  }
}
