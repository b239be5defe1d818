import type { Timeline, TimelineWarning } from './timeline.js';

/**
 * The outcome of checking one exercise: always a value, never thrown. Messages carry no ANSI codes;
 * colour is the UI's business. Paths in a verdict are relative to the workspace (or course) root.
 */
export interface CodeFrameLine {
  n: number;
  text: string;
}
export interface CodeFrame {
  file: string;
  line: number;
  column: number;
  lines: CodeFrameLine[];
}

export interface TestResult {
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  durationMs: number;
  message?: string;
  expected?: string;
  actual?: string;
  diff?: string;
  /** Where in the learner's (or else the check's) code the failure surfaced. */
  frame?: CodeFrame;
}

export type DiagnosisKind = 'blocked-event-loop' | 'never-settled' | 'open-handles';
export interface Diagnosis {
  kind: DiagnosisKind;
  /** The test that was running, when known. */
  test?: string;
  message: string;
  frame?: CodeFrame;
}

export interface TypeDiagnostic {
  code: number;
  message: string;
  frame?: CodeFrame;
}

/**
 * Why a check failed before (or besides) its tests' own failures: a code for code, beside the
 * sentence for people. Decisions branch on the code, never on the sentence.
 */
export type FailCode =
  /** The check never ran (the file was not in the run's report). */
  | 'not-run'
  /** A batch was stopped for another exercise before this one finished. */
  | 'unfinished'
  | 'no-tests'
  | 'tests-skipped'
  | 'expected-tests-missing'
  | 'load-error'
  | 'unhandled-error'
  | 'imports-vitest'
  | 'not-placed'
  /** The runner itself failed to check (a bug or a vanished file), reported as a verdict. */
  | 'runner-error';

/** What the futures of the failing test did (from the harness's executor), with tokio-console-style warnings. */
export interface VerdictTimeline extends Timeline {
  test: string;
  warnings: TimelineWarning[];
}

interface VerdictBase {
  exercise: string;
  durationMs: number;
  tests: TestResult[];
  /** The learner's console output, capped to the last lines. */
  console: string[];
  warnings: string[];
  /** On a failure in a check built on the harness's TestExecutor: what each task did. */
  timeline?: VerdictTimeline;
  /**
   * Beside a failing run of one exercise checked alone: TypeScript's errors in the learner's own
   * files. They do not decide the verdict (the run does) but are often its cause.
   */
  typeErrors?: TypeDiagnostic[];
}

export type Verdict =
  | (VerdictBase & { status: 'passed' })
  | (VerdictBase & { status: 'failed'; reason?: string; code?: FailCode; loadError?: { message: string; frame?: CodeFrame } })
  | (VerdictBase & { status: 'compile-error'; message: string; frame?: CodeFrame })
  | (VerdictBase & { status: 'type-error'; errors: TypeDiagnostic[] })
  | (VerdictBase & { status: 'timeout'; diagnosis: Diagnosis })
  | (VerdictBase & { status: 'crashed'; how: string; lastOutput: string[] });

export type VerdictStatus = Verdict['status'];

export const CONSOLE_LINES = 200;

/** A window of `context` lines around `line` (1-based) of `source`. */
export function codeFrame(file: string, source: string, line: number, column: number, context = 2): CodeFrame {
  const all = source.split(/\r?\n/);
  const from = Math.max(1, line - context);
  const to = Math.min(all.length, line + context);
  const lines: CodeFrameLine[] = [];
  for (let n = from; n <= to; n++) lines.push({ n, text: all[n - 1] ?? '' });
  return { file, line, column, lines };
}

/** Keeps the last `max` lines of console output, noting how many were dropped. */
export function capLines(lines: string[], max = CONSOLE_LINES, alreadyDropped = 0): string[] {
  if (lines.length <= max && alreadyDropped === 0) return lines;
  const kept = lines.slice(-max);
  return [`… ${lines.length - kept.length + alreadyDropped} earlier lines not shown`, ...kept];
}

/** The inverse of capLines: the lines kept, and how many were dropped before them. */
export function uncapLines(capped: string[]): { dropped: number; lines: string[] } {
  const marker = /^… (\d+) earlier lines not shown$/.exec(capped[0] ?? '');
  return marker ? { dropped: Number(marker[1]), lines: capped.slice(1) } : { dropped: 0, lines: capped };
}
