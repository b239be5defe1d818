import { timelineWarnings, type Timeline } from './timeline.js';
import type { CodeFrame, Diagnosis, TestResult, TypeDiagnostic, Verdict } from './verdict.js';

/*
 * The verdict decision, in one place and free of IO: the engine gathers what happened (facts: the
 * run's end, the module's failure, each test, unhandled errors, the type checker's answer, the
 * tests the course expects) and these functions decide what it means for the learner. Watch mode,
 * one-shot commands, batches and grading all get their verdicts from here, so a precedence rule
 * (a blocked loop outranks a failing test; a type error keeps a pass from counting) is written once
 * and tested as a table (tests/core/decide-verdict.test.ts).
 */

/** How the run ended from the outside: on its own, or stopped by the watchdog. */
export type RunEnd =
  | { kind: 'finished' }
  | { kind: 'blocked'; afterMs: number; test: string | undefined; loading?: boolean }
  | { kind: 'crashed'; how: string; output: string[] };

/** Why the check file's module failed before its tests could run. */
export type ModuleFailure =
  | { kind: 'syntax'; message: string; frame?: CodeFrame }
  | { kind: 'exit'; message: string; frame?: CodeFrame }
  | { kind: 'threw'; message: string; frame?: CodeFrame };

export interface Unhandled {
  /** vitest's label: 'Unhandled Rejection', 'Unhandled Error', … */
  type?: string;
  testName?: string;
  message: string;
  frame?: CodeFrame;
  /** The test worker itself died (killed, out of memory, exited): not the learner's error value. */
  workerDied: boolean;
}

export interface RunFacts {
  exercise: string;
  durationMs: number;
  tests: TestResult[];
  console: string[];
  end: RunEnd;
  /** The check file appears in the run's report at all. */
  reported: boolean;
  moduleFailure?: ModuleFailure;
  unhandled: Unhandled[];
  /** What was left running after the tests passed (a timer, a socket), if anything. */
  openHandles?: string;
  /** What the harness's executor did in a failed test, for the verdict's timeline. */
  timeline?: { test: string; timeline: Timeline };
  /** From a diagnostic re-run of a blocked check: the learner's loop it spun in, and its function. */
  spin?: { frame: CodeFrame; fn: string };
  /** From a diagnostic re-run: where, in the learner's files, the promises a test left pending were made. */
  pending?: { test: string; sites: CodeFrame[] };
}

const TIMEOUT_RE = /^Test timed out in (\d+)ms/;

/** The runtime verdict from the facts of one run, most telling cause first; a failure keeps its timeline. */
export function decideRun(f: RunFacts): Verdict {
  const v = decideCause(f);
  if (v.status === 'passed' || !f.timeline) return v;
  const { test, timeline } = f.timeline;
  return { ...v, timeline: { ...timeline, test, warnings: timelineWarnings(timeline) } };
}

function decideCause(f: RunFacts): Verdict {
  const base = { exercise: f.exercise, durationMs: Math.round(f.durationMs), tests: f.tests, console: f.console, warnings: [] as string[] };
  const end = f.end;
  if (end.kind === 'blocked') return { ...base, status: 'timeout', diagnosis: blockedDiagnosis(end, f.spin) };
  if (end.kind === 'crashed' && !f.reported) return { ...base, status: 'crashed', how: end.how, lastOutput: end.output.slice(-20) };

  const failure = f.moduleFailure;
  if (failure?.kind === 'syntax') return { ...base, status: 'compile-error', message: failure.message, ...(failure.frame ? { frame: failure.frame } : {}) };
  if (failure?.kind === 'exit') {
    return { ...base, status: 'crashed', how: `your code called process.exit() while loading: ${failure.message}`, lastOutput: failure.frame ? [`at ${failure.frame.file}:${failure.frame.line}`] : [] };
  }
  if (failure?.kind === 'threw') {
    return { ...base, status: 'failed', code: 'load-error', reason: 'the exercise threw while it was being loaded', loadError: withFrame(failure.message, failure.frame) };
  }

  const timedOut = f.tests.find((t) => t.state === 'failed' && TIMEOUT_RE.test(t.message ?? ''));
  if (timedOut) {
    const stuck = f.pending?.test === timedOut.name ? f.pending.sites.at(-1) : undefined;
    return { ...base, status: 'timeout', diagnosis: neverSettled(timedOut, stuck) };
  }

  const died = f.unhandled.find((u) => u.workerDied);
  if (died) return { ...base, status: 'crashed', how: 'the test process died (killed, out of memory, or exited)', lastOutput: [died.message] };
  const u = f.unhandled[0];
  if (u) {
    const what = u.type === 'Unhandled Rejection' ? 'a promise rejected and nothing handled it (no await, .catch or try/catch reached it).' : 'an error escaped every handler.';
    return { ...base, status: 'failed', code: 'unhandled-error', reason: `${u.type ?? 'Unhandled error'}${u.testName ? ` during "${u.testName}"` : ''}: ${what}`, loadError: withFrame(u.message, u.frame) };
  }

  if (!f.reported) return { ...base, status: 'failed', code: 'not-run', reason: 'the check did not run' };
  if (f.tests.length === 0) return { ...base, status: 'failed', code: 'no-tests', reason: 'no tests ran: the check file defines none' };
  if (f.tests.every((t) => t.state === 'passed')) {
    if (f.openHandles !== undefined) {
      base.warnings.push(
        `Your code left work running after the tests finished (${f.openHandles}): a timer, interval or socket nobody stopped. In Rust terms, a spawned task still running after its handle was dropped. Clear what you start.`,
      );
    }
    return { ...base, status: 'passed' };
  }
  const skipped = f.tests.filter((t) => t.state === 'skipped' || t.state === 'pending');
  if (skipped.length > 0 && f.tests.every((t) => t.state !== 'failed')) {
    return { ...base, status: 'failed', code: 'tests-skipped', reason: `${skipped.length} test${skipped.length === 1 ? ' was' : 's were'} skipped; every test must run and pass` };
  }
  return { ...base, status: 'failed' };
}

function neverSettled(timedOut: TestResult, stuck: CodeFrame | undefined): Diagnosis {
  const ms = Number(TIMEOUT_RE.exec(timedOut.message ?? '')?.[1] ?? 0);
  // The last pending promise made in the learner's code is the one awaited; those made before it
  // (the async function's own promise, a Promise.all around it) only wait for it in turn.
  const where = stuck ? ` It is still waiting at ${siteName(stuck)}: nothing ever resolved or rejected the promise made there.` : ' Nothing ever resolved or rejected it.';
  return {
    kind: 'never-settled',
    test: timedOut.name,
    message: `Test "${timedOut.name}" waited ${ms / 1000} s for a promise that never settled, while the event loop was free.${where} In Rust terms, a future returned Pending and nothing woke it. Check that every path calls resolve or reject.`,
    ...(stuck ? { frame: stuck } : {}),
  };
}

/**
 * A never-settled verdict with the place a diagnostic re-run found (its own diagnosis has the
 * re-run's shorter wait; the learner's test waited as long as the first run says).
 */
export function withStuckSite(first: Verdict & { status: 'timeout' }, site: CodeFrame): Verdict {
  const timedOut = first.tests.find((t) => t.name === first.diagnosis.test && TIMEOUT_RE.test(t.message ?? ''));
  return timedOut ? { ...first, diagnosis: neverSettled(timedOut, site) } : first;
}

function blockedDiagnosis(end: RunEnd & { kind: 'blocked' }, spin: RunFacts['spin']): Diagnosis {
  const seconds = (end.afterMs / 1000).toFixed(1);
  const where =
    end.test !== undefined ? `in test "${end.test}"` : end.loading === false ? 'in a hook between tests (after one test ended, before the next began)' : 'while the exercise was loading (top-level code never finished)';
  const look = spin
    ? `It kept going round the loop ${spin.fn === '(top level)' ? 'at the top level of' : `in \`${spin.fn}\` at`} ${siteName(spin.frame)}: what should make that loop stop (or await something that waits for a timer or I/O) never happens.`
    : 'Look for a loop that never exits, or an endless chain of awaits (for (;;) await x) that never gives timers a turn.';
  return {
    kind: 'blocked-event-loop',
    ...(end.test === undefined ? {} : { test: end.test }),
    message: `Your code blocked the event loop ${where}: for ${seconds} s no timer, I/O callback or other task could run (not even the test's own timeout), so the check was stopped. ${look} In Rust terms: a poll that never returns, so the executor can run nothing else.`,
    ...(spin ? { frame: spin.frame } : {}),
  };
}


/** `exercises/x.ts:6 (\`await new Promise(…)\`)`: the place and its code, as the learner wrote it. */
function siteName(site: CodeFrame): string {
  const text = site.lines.find((l) => l.n === site.line)?.text.trim();
  return `${site.file}:${site.line}${text ? ` (\`${text.length > 60 ? `${text.slice(0, 57)}…` : text}\`)` : ''}`;
}

const withFrame = (message: string, frame: CodeFrame | undefined) => (frame ? { message, frame } : { message });

/** The type checker's answer for one check: diagnostics, or that it stopped answering. */
export type TypesAnswer = { diagnostics: TypeDiagnostic[]; ms: number } | 'stopped' | undefined;

export interface FinalFacts {
  kind: 'runtime' | 'types' | 'mixed';
  /** The learner's files, as verdicts name them (relative to the workspace). */
  learnerFiles: ReadonlySet<string>;
  /** Tests the course lock says must run and pass; undefined when the course has no lock. */
  expectedTests?: readonly string[];
}

/**
 * The whole verdict: the run's, then the types' say, then the course's expected tests.
 * `types` exercises are decided by their types; `mixed` ones by both; and for every exercise a
 * type error in the learner's own files keeps a passing run from counting (as a compile error does
 * in Rust).
 */
export function decideVerdict(runtime: Verdict, types: TypesAnswer, facts: FinalFacts): Verdict {
  return requireExpectedTests(gateTypes(runtime, types, facts), facts.expectedTests);
}

function gateTypes(verdict: Verdict, answer: TypesAnswer, { kind, learnerFiles }: FinalFacts): Verdict {
  if (verdict.status !== 'passed' && kind !== 'types') return besideFailure(verdict, answer, learnerFiles);
  if (answer === 'stopped') return { ...verdict, status: 'crashed', how: 'the type checker stopped answering; it has been restarted — save again to re-check', lastOutput: [] };
  if (answer === undefined) return verdict;
  const durationMs = verdict.durationMs + answer.ms;
  // A runtime exercise's fixtures are not the learner's business: only their own files count.
  const errors = kind === 'runtime' ? answer.diagnostics.filter((d) => d.frame !== undefined && learnerFiles.has(d.frame.file)) : answer.diagnostics;
  if (errors.length === 0) return { ...verdict, durationMs };
  const { status: _s, ...rest } = verdict;
  return { ...rest, durationMs, status: 'type-error', errors };
}

/**
 * A run that failed is the verdict whatever the types say, but a type error in the learner's own
 * file is often why it failed (a misspelt property, a Promise used as its value): it rides along.
 * A compile error already names its one cause.
 */
function besideFailure(verdict: Verdict, answer: TypesAnswer, learnerFiles: ReadonlySet<string>): Verdict {
  if (answer === undefined || answer === 'stopped' || verdict.status === 'compile-error') return verdict;
  const own = answer.diagnostics.filter((d) => d.frame !== undefined && learnerFiles.has(d.frame.file));
  return own.length > 0 ? { ...verdict, typeErrors: own } : verdict;
}

/**
 * Every test the course expects must have run and passed: a check that "passes" with fewer tests
 * than the lock file lists (skipped, filtered out, or lost) does not count.
 */
export function requireExpectedTests(verdict: Verdict, expected: readonly string[] | undefined): Verdict {
  if (verdict.status !== 'passed' || expected === undefined || verdict.tests.length === 0) return verdict;
  const passed = new Set(verdict.tests.filter((t) => t.state === 'passed').map((t) => t.name));
  const missing = expected.filter((name) => !passed.has(name));
  if (missing.length === 0) return verdict;
  const { status: _status, ...rest } = verdict;
  return {
    ...rest,
    status: 'failed',
    code: 'expected-tests-missing',
    reason: `${missing.length} expected test${missing.length === 1 ? '' : 's'} did not run: ${missing.map((m) => `"${m}"`).join(', ')}. Every test of the course must run and pass.`,
  };
}

/**
 * A syntax error reported without a place (V8's own SyntaxError, or a transform message without
 * one): TypeScript's diagnostics of the learner's files place it. Syntax errors (TS1xxx) first;
 * else the first error TypeScript has there (a duplicate export, `super` outside a subclass).
 */
export function placeCompileError(verdict: Verdict & { status: 'compile-error' }, answer: TypesAnswer, learnerFiles: ReadonlySet<string>): Verdict {
  if (answer === 'stopped' || answer === undefined || verdict.frame) return verdict;
  const mine = answer.diagnostics.filter((d) => d.frame && learnerFiles.has(d.frame.file));
  const best = mine.find((d) => d.code < 2000) ?? mine[0];
  return best?.frame ? { ...verdict, frame: best.frame } : verdict;
}
