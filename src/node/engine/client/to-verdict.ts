import { stripVTControlCharacters as stripAnsi } from 'node:util';
import path from 'node:path';
import { capLines, codeFrame, type CodeFrame, type TestResult, type Verdict } from '../../../core/verdict.js';
import { consoleTextLines, type LiveEvent, type RawError, type RawModule, type RawReport } from '../shared/raw-report.js';
import type { Slot } from './run-area.js';

/** How the run ended from the outside: on its own, or stopped by the watchdog. */
export type RunEnd =
  | { kind: 'finished' }
  | { kind: 'blocked'; afterMs: number; test: string | undefined; loading?: boolean }
  | { kind: 'crashed'; how: string; output: string[] };

const TIMEOUT_RE = /^Test timed out in (\d+)ms/;

/** The best place to show for an error: the learner's own file first, then the check. */
export function frameFor(slot: Slot, error: RawError | undefined): CodeFrame | undefined {
  if (!error) return undefined;
  const stacks = error.stacks.filter((s) => slot.sources.has(s.file));
  const best = stacks.find((s) => slot.learnerFiles.has(s.file)) ?? stacks[0];
  if (!best) return undefined;
  return codeFrame(slot.display.get(best.file) ?? best.file, slot.sources.get(best.file)!, best.line, best.column);
}

function testResults(slot: Slot, mod: RawModule | undefined): TestResult[] {
  return (mod?.tests ?? []).map((t) => {
    const first = t.errors[0];
    const result: TestResult = { name: t.name, state: t.state, durationMs: t.durationMs };
    if (first) {
      result.message = stripAnsi(first.message);
      if (first.expected !== undefined) result.expected = first.expected;
      if (first.actual !== undefined) result.actual = first.actual;
      if (first.diff !== undefined) result.diff = stripAnsi(first.diff);
      const frame = frameFor(slot, first);
      if (frame) result.frame = frame;
    }
    return result;
  });
}

/**
 * The slot file a location in a transform error names. Vite prints it relative to the host's
 * working directory (the learner's workspace, not the run folder), so match by path suffix.
 */
function sourceAt(slot: Slot, areaRoot: string, shown: string): string | undefined {
  const exact = path.resolve(areaRoot, shown);
  if (slot.sources.has(exact)) return exact;
  const tail = shown.replace(/\\/g, '/').replace(/^(?:\.\.?\/)+/, '');
  let best: string | undefined;
  for (const file of slot.sources.keys()) {
    if ((file === tail || file.endsWith(`/${tail}`)) && (best === undefined || file.length < best.length)) best = file;
  }
  return best;
}

/**
 * A syntax error: vite/oxc's `[PARSE_ERROR] Expected … ╭─[ ../runs/…/x.ts:1:29 ]`, or V8's own
 * SyntaxError while compiling the transformed module (no location then: the engine finds one).
 */
function compileError(slot: Slot, areaRoot: string, error: RawError): { message: string; frame?: CodeFrame } | undefined {
  const text = stripAnsi(error.message);
  const v8Syntax = error.name === 'SyntaxError' && !error.stacks.some((s) => slot.learnerFiles.has(s.file));
  if (!/Transform failed|PARSE_ERROR|Parse fail/.test(text) && !v8Syntax) return undefined;
  const detail =
    /\[(?:PARSE_ERROR|SYNTAX_ERROR)\]\s*(?:Error:\s*)?(.+)/.exec(text)?.[1] ??
    /Parse failed with \d+ errors?:\s*\n(.+)/.exec(text)?.[1] ??
    text.split('\n').find((l) => l.trim().length > 0 && !/^Transform failed/.test(l)) ??
    text;
  const loc = /([\w./@-]+\.(?:ts|tsx|mts|js|mjs)):(\d+):(\d+)/.exec(text);
  const abs = loc ? sourceAt(slot, areaRoot, loc[1]!) : undefined;
  const source = abs === undefined ? undefined : slot.sources.get(abs);
  const frame = source === undefined || !loc ? undefined : codeFrame(slot.display.get(abs!) ?? abs!, source, Number(loc[2]), Number(loc[3]));
  return frame ? { message: detail.trim(), frame } : { message: detail.trim() };
}

export function consoleFor(slot: Slot, events: LiveEvent[], single: boolean): string[] {
  const lines: string[] = [];
  let dropped = 0;
  for (const e of events) {
    if (e.event !== 'console') continue;
    if (e.file !== slot.testFile && !(single && e.file === undefined)) continue;
    dropped += e.dropped ?? 0;
    // One event can hold thousands of lines: no spread into push (it overflows the stack).
    for (const line of consoleTextLines(e.text)) lines.push(line);
  }
  return capLines(lines, undefined, dropped);
}

interface MapInput {
  slot: Slot;
  areaRoot: string;
  report: RawReport | undefined;
  events: LiveEvent[];
  end: RunEnd;
  single: boolean;
  durationMs: number;
}

/** Turns what vitest reported for one slot into a Verdict. */
export function toVerdict(input: MapInput): Verdict {
  const { slot, report, end } = input;
  const mod = report?.modules.find((m) => m.file === slot.testFile);
  const base = {
    exercise: slot.exercise.name,
    durationMs: Math.round(input.durationMs),
    tests: testResults(slot, mod),
    console: consoleFor(slot, input.events, input.single),
    warnings: [] as string[],
  };

  if (end.kind === 'blocked') {
    const seconds = (end.afterMs / 1000).toFixed(1);
    const where =
      end.test !== undefined ? `in test "${end.test}"` : end.loading === false ? 'in a hook between tests (after one test ended, before the next began)' : 'while the exercise was loading (top-level code never finished)';
    return {
      ...base,
      status: 'timeout',
      diagnosis: {
        kind: 'blocked-event-loop',
        ...(end.test === undefined ? {} : { test: end.test }),
        message: `Your code blocked the event loop ${where}: for ${seconds} s no timer, I/O callback or other task could run (not even the test's own timeout), so the check was stopped. Look for a loop that never exits, or an endless chain of awaits (for (;;) await x) that never gives timers a turn. In Rust terms: a poll that never returns, so the executor can run nothing else.`,
      },
    };
  }
  if (end.kind === 'crashed' && !mod) {
    return { ...base, status: 'crashed', how: end.how, lastOutput: end.output.slice(-20) };
  }

  const moduleError = mod?.errors[0];
  if (moduleError) {
    const compile = compileError(slot, input.areaRoot, moduleError);
    if (compile) return { ...base, status: 'compile-error', ...compile };
    const message = stripAnsi(moduleError.message);
    const frame = frameFor(slot, moduleError);
    if (/process\.exit unexpectedly called/.test(message)) {
      return { ...base, status: 'crashed', how: `your code called process.exit() while loading: ${message}`, lastOutput: frame ? [`at ${frame.file}:${frame.line}`] : [] };
    }
    return { ...base, status: 'failed', code: 'load-error', reason: 'the exercise threw while it was being loaded', loadError: frame ? { message, frame } : { message } };
  }

  const timedOut = base.tests.find((t) => t.state === 'failed' && TIMEOUT_RE.test(t.message ?? ''));
  if (timedOut) {
    const ms = Number(TIMEOUT_RE.exec(timedOut.message ?? '')?.[1] ?? 0);
    return {
      ...base,
      status: 'timeout',
      diagnosis: {
        kind: 'never-settled',
        test: timedOut.name,
        message: `Test "${timedOut.name}" waited ${ms / 1000} s for a promise that never settled, while the event loop was free. Nothing ever resolved or rejected it: in Rust terms, a future returned Pending and nothing woke it. Check that every path calls resolve or reject.`,
      },
    };
  }

  const unhandled = (report?.unhandled ?? []).filter((u) => u.testPath === undefined ? input.single : u.testPath === slot.testFile);
  const crash = unhandled.find((u) => /Worker .* (emitted error|exited unexpectedly)|\[vitest-pool\]/.test(u.message));
  if (crash) {
    return { ...base, status: 'crashed', how: 'the test process died (killed, out of memory, or exited)', lastOutput: [stripAnsi(crash.message)] };
  }
  if (unhandled.length > 0) {
    const u = unhandled[0]!;
    const frame = frameFor(slot, u);
    return {
      ...base,
      status: 'failed',
      code: 'unhandled-error',
      reason: `${u.type ?? 'Unhandled error'}${u.testName ? ` during "${u.testName}"` : ''}: ${u.type === 'Unhandled Rejection' ? 'a promise rejected and nothing handled it (no await, .catch or try/catch reached it).' : 'an error escaped every handler.'}`,
      loadError: frame ? { message: stripAnsi(u.message), frame } : { message: stripAnsi(u.message) },
    };
  }

  if (!mod || base.tests.length === 0) {
    return mod ? { ...base, status: 'failed', code: 'no-tests', reason: 'no tests ran: the check file defines none' } : { ...base, status: 'failed', code: 'not-run', reason: 'the check did not run' };
  }
  if (base.tests.every((t) => t.state === 'passed')) {
    const open = input.events.find((e) => e.event === 'open-handles' && e.file === slot.testFile);
    if (open && open.event === 'open-handles') {
      base.warnings.push(
        `Your code left work running after the tests finished (${open.name}): a timer, interval or socket nobody stopped. In Rust terms, a spawned task still running after its handle was dropped. Clear what you start.`,
      );
    }
    return { ...base, status: 'passed' };
  }
  const skipped = base.tests.filter((t) => t.state === 'skipped' || t.state === 'pending');
  if (skipped.length > 0 && base.tests.every((t) => t.state !== 'failed')) {
    return { ...base, status: 'failed', code: 'tests-skipped', reason: `${skipped.length} test${skipped.length === 1 ? ' was' : 's were'} skipped; every test must run and pass` };
  }
  return { ...base, status: 'failed' };
}
