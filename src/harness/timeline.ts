/*
 * The trace a TestExecutor keeps of one check, on virtual time: every spawn, poll (with its
 * result), wake (during the task's own poll or from elsewhere, and by whom) and drop. The check
 * engine's worker setup collects the traces of a test that failed and sends them with the verdict,
 * which draws them as a timeline with tokio-console's warnings (lost wakes, self-wakes, …). Checks
 * get this for free by using TestExecutor. The shape is the engine's `Timeline` (core/timeline.ts).
 */

export type TraceKind = 'spawn' | 'pending' | 'ready' | 'threw' | 'wake' | 'self-wake' | 'drop' | 'timer' | 'io';

export interface TraceEvent {
  t: number;
  seq: number;
  task: string;
  kind: TraceKind;
  by?: string;
}

/** One executor's trace. */
export interface Trace {
  tasks: string[];
  events: TraceEvent[];
  dropped: number;
  spin?: { task: string; polls: number };
}

/** The most events kept per executor: a spin makes thousands, and the first ones tell the story. */
export const TRACE_CAP = 2000;

/** Where the worker setup finds the traces of the running test (a global: the two are bundled apart). */
export const TRACES = Symbol.for('async-lessons.traces');

type Registry = { [TRACES]?: Trace[] };

/** A new trace, registered for the running test. */
export function newTrace(): Trace {
  const trace: Trace = { tasks: [], events: [], dropped: 0 };
  const g = globalThis as Registry;
  const all = (g[TRACES] ??= []);
  all.push(trace);
  // Outside the engine nobody clears the list between tests: keep it short.
  if (all.length > 20) all.shift();
  return trace;
}

let seq = 0;
// For the benchmark's row on what tracing costs: the same checks with it off (bench/trace.ts).
const OFF = typeof process !== 'undefined' && process.env.ASYNC_LESSONS_NO_TRACE === '1';

// Futures wrapped by `counted` have no clock of their own: they take the last virtual time an
// executor recorded, so both kinds of event share one axis.
let lastT = 0;

export function record(trace: Trace, t: number | undefined, task: string, kind: TraceKind, by?: string): void {
  if (OFF) return;
  if (t === undefined) t = lastT;
  else lastT = t;
  if (kind === 'spawn' && !trace.tasks.includes(task)) trace.tasks.push(task);
  if (trace.events.length >= TRACE_CAP) {
    trace.dropped += 1;
    return;
  }
  trace.events.push(by === undefined ? { t, seq: ++seq, task, kind } : { t, seq: ++seq, task, kind, by });
}

// The task an executor is polling right now, so the reactor can say whose registration it got.
let polling: { trace: Trace; task: string } | undefined;

/** Called by an executor around each poll (undefined after it). */
export function setPolling(now: { trace: Trace; task: string } | undefined): void {
  polling = now;
}

/** A timer or readiness registration, noted against the task being polled (if any). */
export function noteRegistration(t: number, kind: 'timer' | 'io'): void {
  if (polling) record(polling.trace, t, polling.task, kind);
}
