/*
 * The trace a harness helper keeps of one check, on virtual time: every spawn, poll (with its
 * result), wake (during the task's own poll or from elsewhere, by whom, and by which waker clone),
 * clone and drop. TestExecutor, counted(), spyWaker()/pollWith() and explore() all record one.
 * The check engine's worker setup collects the traces of a test that failed and sends them with
 * the verdict, which draws them as a timeline with tokio-console's warnings (lost wakes,
 * self-wakes, …). Checks get this for free by using the helpers. The shape is the engine's
 * `Timeline` (core/timeline.ts).
 */

export type TraceKind =
  | 'spawn' | 'pending' | 'ready' | 'threw' | 'wake' | 'self-wake' | 'drop' | 'timer' | 'io' | 'clone'
  // explore(): a step that ended at a yield (the scheduler may switch), or at until() (blocked).
  | 'step' | 'blocked';

export interface TraceEvent {
  t: number;
  seq: number;
  task: string;
  kind: TraceKind;
  by?: string;
  /** Wakes and clones: which clone of the task's waker (0 the original, n the n-th clone made). */
  clone?: number;
  /** Polls by pollWith: which future was polled (numbered per process, so equal means the same object). */
  fut?: number;
}

/** One executor's (or spy's, or counted future's) trace. */
export interface Trace {
  tasks: string[];
  events: TraceEvent[];
  dropped: number;
  spin?: { task: string; polls: number };
}

/** The most events kept per executor: a spin makes thousands, and the first ones tell the story. */
export const TRACE_CAP = 2000;

/**
 * The most traces kept per test. Outside the engine nobody clears the list between tests, and a
 * spin's trace holds 2000 events; more rows than this would not fit a 24-line screen anyway, and
 * the failing scenario is the last one made. Those pushed out are counted (`notShown`).
 */
export const REGISTRY_CAP = 20;

/** Where the worker setup finds the traces of the running test (a global: the two are bundled apart). */
export const TRACES = Symbol.for('async-lessons.traces');

/**
 * The registry: the traces, how many tasks the traces pushed out of it had, and the clock of the
 * helpers that have none. Kept on the list, so each test (the worker setup makes a new list) starts at 0.
 */
export type TraceList = Trace[] & { notShown?: number; clock?: number };
type Registry = { [TRACES]?: TraceList };

/** A trace not (yet) in the registry: explore() keeps one per schedule and registers the telling one. */
export function unregisteredTrace(): Trace {
  return { tasks: [], events: [], dropped: 0 };
}

/** Puts `trace` in the running test's registry, pushing the oldest out past the cap. */
export function registerTrace(trace: Trace): void {
  const all = registry();
  all.push(trace);
  if (all.length > REGISTRY_CAP) {
    const gone = all.shift()!;
    if (gone.events.length > 0) all.notShown = (all.notShown ?? 0) + Math.max(1, gone.tasks.length);
  }
}

/** A new trace, registered for the running test. */
export function newTrace(): Trace {
  const trace = unregisteredTrace();
  registerTrace(trace);
  return trace;
}

let seq = 0;
// For the benchmark's row on what tracing costs: the same checks with it off (bench/trace.ts).
export const TRACE_OFF = typeof process !== 'undefined' && process.env.ASYNC_LESSONS_NO_TRACE === '1';

// Helpers with no clock of their own (counted, spies) take the last virtual time an executor
// recorded or a reactor moved to, so every kind of event shares one axis.
const registry = (): TraceList => ((globalThis as Registry)[TRACES] ??= []);

/** A reactor's clock moved (or a reactor was made): later clock-less events happen at `t`. */
export function noteTime(t: number): void {
  if (!TRACE_OFF) registry().clock = t;
}

export function record(trace: Trace, t: number | undefined, task: string, kind: TraceKind, by?: string, extra?: { clone?: number; fut?: number }): void {
  if (TRACE_OFF) return;
  if (t === undefined) t = registry().clock ?? 0;
  else registry().clock = t;
  if (kind === 'spawn' && !trace.tasks.includes(task)) trace.tasks.push(task);
  if (trace.events.length >= TRACE_CAP) {
    trace.dropped += 1;
    return;
  }
  const e: TraceEvent = by === undefined ? { t, seq: ++seq, task, kind } : { t, seq: ++seq, task, kind, by };
  if (extra?.clone !== undefined) e.clone = extra.clone;
  if (extra?.fut !== undefined) e.fut = extra.fut;
  trace.events.push(e);
}

/**
 * For explore(), which has no clock: the event at t=0 (the timeline then orders by `seq`), leaving
 * the clock other helpers read alone.
 */
export function recordStep(trace: Trace, task: string, kind: TraceKind): void {
  const keep = registry().clock;
  record(trace, 0, task, kind);
  registry().clock = keep;
}

// The task an executor is polling right now, so the reactor can say whose registration it got.
let polling: { trace: Trace; task: string } | undefined;

/** Called by an executor around each poll (undefined after it). */
export function setPolling(now: { trace: Trace; task: string } | undefined): void {
  polling = now;
}

/** The executor task being polled right now, if any (a counted future inside it joins its row). */
export function currentPoll(): { trace: Trace; task: string } | undefined {
  return polling;
}

/** A timer or readiness registration, noted against the task being polled (if any). */
export function noteRegistration(t: number, kind: 'timer' | 'io'): void {
  if (polling) record(polling.trace, t, polling.task, kind);
}
