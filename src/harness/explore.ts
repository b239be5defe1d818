/*
 * A tiny model checker in the spirit of Rust's `loom`: runs a few tasks under every possible
 * interleaving and reports the outcomes, so a check can say "this invariant holds in all of them"
 * or print the one schedule that breaks it.
 *
 * Tasks are generator functions. The code between two `yield`s runs as one indivisible step; a
 * `yield` is a place where the scheduler *may* switch to another task:
 * - `yield` or `yield 'label'`: a plain step boundary. Threads can be preempted here, an async task
 *   on one thread cannot, so only `preemptive` mode switches at it.
 * - `yield AWAIT` or `yield awaitPoint('label')`: an `await`. Both modes may switch here.
 * - `yield until(() => cond, 'label')`: the task blocks until `cond()` holds (a lock, a channel).
 *   Both modes may switch here; the task is not runnable until `cond()` is true.
 *
 * Exploration is a depth-first search over the scheduler's choices. Each schedule re-runs from
 * scratch, so all shared state must be created by `setup()` and passed to the tasks.
 *
 * Each schedule is recorded for a failed check's timeline (harness/timeline.ts), in step order:
 * the first failing schedule is the one registered (the last one run when none fails), so the
 * picture is of one interleaving, not of all of them laid over each other.
 */
import { registerTrace, recordStep, TRACE_OFF, unregisteredTrace, type Trace } from './timeline.js';

/** An `await`: a point where both modes may switch tasks. */
export interface AwaitStep {
  readonly await: true;
  readonly label: string;
}

/** Blocks the task until `until()` returns true. */
export interface UntilStep {
  readonly until: () => boolean;
  readonly label: string;
}

/** What a task may `yield`. A string is a label for a plain step boundary, shown in traces. */
export type Step = void | string | AwaitStep | UntilStep;

/** A task: a generator function receiving the schedule's shared state. Its return value is recorded. */
export type TaskFn<S> = (state: S) => Generator<Step, unknown, void>;

/** The plain `await` step. */
export const AWAIT: AwaitStep = Object.freeze({ await: true, label: 'await' });

/** An `await` step with a label for the trace, e.g. `yield awaitPoint('await audit.log')`. */
export function awaitPoint(label: string): AwaitStep {
  return Object.freeze({ await: true, label });
}

/** A step that blocks until `cond()` holds, e.g. `yield until(() => !s.locked, 'lock')`. */
export function until(cond: () => boolean, label = 'wait'): UntilStep {
  return Object.freeze({ until: cond, label });
}

/** Options for `explore`. */
export interface ExploreOptions<S> {
  /** `cooperative`: switch only at await/until steps (async tasks on one thread). `preemptive`: at every yield (threads). */
  mode: 'cooperative' | 'preemptive';
  /** Creates fresh shared state for each schedule. */
  setup?: () => S;
  /** Judges a finished schedule: return true or nothing when it is fine, false or a message when not (or throw). */
  check?: (state: S, results: unknown[]) => boolean | string | void;
  /** Stop after this many schedules (default 10 000). `exhaustive` says whether all were run. */
  maxSchedules?: number;
  /** Steps one schedule may take before it counts as looping forever (default 10 000). */
  maxSteps?: number;
}

/** One schedule and what came of it. */
export interface Outcome<S> {
  /** The task that ran each step, in order. */
  schedule: string[];
  /** `task: label` for each step (the label of the yield that ended the step, or `return`). */
  trace: string[];
  /** The shared state at the end. */
  state: S;
  /** Each task's return value, in task order (undefined for tasks that did not finish). */
  results: unknown[];
  /** False when the check failed, a task threw, the tasks deadlocked, or the schedule looped. */
  ok: boolean;
  /** Why it is not ok. */
  message?: string;
}

/** The result of `explore`. */
export interface Exploration<S> {
  /** Schedules run. */
  schedules: number;
  /** True when every schedule was run (false when `maxSchedules` cut the search short). */
  exhaustive: boolean;
  /** Every schedule's outcome, in the order explored. */
  outcomes: Outcome<S>[];
  /** The first outcome that is not ok, if any. */
  failure: Outcome<S> | undefined;
}

/**
 * Runs `tasks` under every interleaving the mode allows. Tasks may be an array (named after their
 * functions) or a record of names to tasks.
 */
export function explore<S = undefined>(tasks: readonly TaskFn<S>[] | Readonly<Record<string, TaskFn<S>>>, options: ExploreOptions<S>): Exploration<S> {
  const entries = Array.isArray(tasks) ? tasks.map((fn, i) => [fn.name || `task${i}`, fn] as const) : Object.entries(tasks);
  const dup = new Set(entries.map(([n]) => n)).size !== entries.length;
  const named = entries.map(([n, fn], i) => ({ name: dup ? `${n}#${i + 1}` : n, fn }));
  const maxSchedules = options.maxSchedules ?? 10_000;
  const outcomes: Outcome<S>[] = [];
  let choices: number[] = [];
  let shown: { trace: Trace; failed: boolean } | undefined;
  const done = (exhaustive: boolean): Exploration<S> => {
    if (shown !== undefined) registerTrace(shown.trace);
    return finish(outcomes, exhaustive);
  };
  for (;;) {
    const trace = TRACE_OFF ? undefined : unregisteredTrace();
    const { outcome, branching } = runSchedule(named, options, choices, trace);
    outcomes.push(outcome);
    if (trace !== undefined && shown?.failed !== true) shown = { trace, failed: !outcome.ok };
    // Next schedule: bump the deepest choice that still has an untried alternative.
    let i = branching.length - 1;
    while (i >= 0 && (choices[i] ?? 0) + 1 >= branching[i]!) i--;
    if (i < 0) return done(true);
    if (outcomes.length >= maxSchedules) return done(false);
    choices = [...branching.slice(0, i).map((_, k) => choices[k] ?? 0), (choices[i] ?? 0) + 1];
  }
}

function finish<S>(outcomes: Outcome<S>[], exhaustive: boolean): Exploration<S> {
  return { schedules: outcomes.length, exhaustive, outcomes, failure: outcomes.find((o) => !o.ok) };
}

interface Running {
  name: string;
  gen: Generator<Step, unknown, void>;
  done: boolean;
  blockedOn: UntilStep | undefined;
}

function runSchedule<S>(
  tasks: Array<{ name: string; fn: TaskFn<S> }>,
  options: ExploreOptions<S>,
  choices: readonly number[],
  timeline?: Trace,
): { outcome: Outcome<S>; branching: number[] } {
  const note = timeline === undefined ? () => {} : (task: string, kind: 'spawn' | 'step' | 'blocked' | 'ready' | 'threw') => recordStep(timeline, task, kind);
  const state = options.setup ? options.setup() : (undefined as S);
  const running: Running[] = tasks.map((t) => ({ name: t.name, gen: t.fn(state), done: false, blockedOn: undefined }));
  for (const t of tasks) note(t.name, 'spawn');
  const results: unknown[] = tasks.map(() => undefined);
  const schedule: string[] = [];
  const trace: string[] = [];
  const branching: number[] = [];
  const maxSteps = options.maxSteps ?? 10_000;
  const end = (ok: boolean, message?: string) => ({
    outcome: { schedule, trace, state, results, ok, ...(message === undefined ? {} : { message }) },
    branching,
  });
  // undefined means "the scheduler chooses"; otherwise the task that must continue (cooperative, plain step).
  let forced: Running | undefined;
  for (let steps = 0; ; steps++) {
    let current = forced;
    if (current === undefined) {
      const runnable = running.filter((r) => !r.done && (r.blockedOn === undefined || r.blockedOn.until()));
      if (runnable.length === 0) {
        const stuck = running.filter((r) => !r.done);
        if (stuck.length === 0) break;
        return end(false, `deadlock: ${stuck.map((r) => `${r.name} waits at "${r.blockedOn?.label ?? '?'}"`).join(', ')}, and no task can continue`);
      }
      const choice = choices[branching.length] ?? 0;
      branching.push(runnable.length);
      current = runnable[choice];
      if (current === undefined) throw new Error('explore: internal error, a replayed choice is out of range');
    }
    if (steps >= maxSteps) return end(false, `a schedule took more than ${maxSteps} steps: a task seems to loop forever`);
    current.blockedOn = undefined;
    let step: IteratorResult<Step, unknown>;
    try {
      step = current.gen.next();
    } catch (error) {
      schedule.push(current.name);
      trace.push(`${current.name}: throws`);
      note(current.name, 'threw');
      return end(false, `${current.name} threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    schedule.push(current.name);
    if (step.done === true) {
      current.done = true;
      results[running.indexOf(current)] = step.value;
      trace.push(`${current.name}: return`);
      note(current.name, 'ready');
      forced = undefined;
      continue;
    }
    const s = step.value;
    trace.push(`${current.name}: ${labelOf(s)}`);
    const special = typeof s === 'object' && s !== null;
    if (special && 'until' in s) current.blockedOn = s;
    note(current.name, special && 'until' in s ? 'blocked' : 'step');
    const switchPoint = options.mode === 'preemptive' || special;
    forced = switchPoint ? undefined : current;
  }
  if (options.check === undefined) return end(true);
  try {
    const verdict = options.check(state, results);
    if (verdict === false) return end(false, 'the check returned false');
    if (typeof verdict === 'string') return end(false, verdict);
    return end(true);
  } catch (error) {
    return end(false, error instanceof Error ? error.message : String(error));
  }
}

function labelOf(s: Step): string {
  if (typeof s === 'string') return s;
  if (typeof s === 'object' && s !== null) return s.label;
  return 'step';
}

/** A readable account of one outcome: the interleaving, step by step, and what went wrong. */
export function describeOutcome(outcome: Outcome<unknown>): string {
  const head = outcome.ok ? 'this schedule is fine' : `this schedule fails: ${outcome.message ?? ''}`;
  return `${head}\n${outcome.trace.map((t, i) => `  ${i + 1}. ${t}`).join('\n')}`;
}
