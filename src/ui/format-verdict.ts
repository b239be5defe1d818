import { uncapLines, type CodeFrame, type DiagnosisKind, type TestResult, type TypeDiagnostic, type Verdict } from '../core/verdict.js';
import type { Style } from './style.js';

const MAX_DIFF_LINES = 16;
const TYPE_NOTE_MAX = 2;

/** `link(file, text)`: the location as a clickable link where the terminal has them (OSC 8). */
export type Linker = (file: string, text: string) => string;

export function formatFrame(frame: CodeFrame, s: Style, link?: Linker): string[] {
  const width = String(frame.lines.at(-1)?.n ?? frame.line).length;
  const where = `${frame.file}:${frame.line}:${frame.column}`;
  const out = [`  ${s.dim('at')} ${link ? link(frame.file, where) : s.dim(where)}`];
  for (const l of frame.lines) {
    const mark = l.n === frame.line ? s.red('>') : ' ';
    out.push(`  ${mark} ${s.dim(String(l.n).padStart(width))} | ${l.text}`);
    if (l.n === frame.line && frame.column > 0) out.push(`    ${' '.repeat(width)} | ${' '.repeat(frame.column - 1)}${s.red('^')}`);
  }
  return out;
}

// vitest's own words after a check's message, when they say nothing the message does not:
// `msg: expected false to be true // Object.is equality` with a true/false diff is just `msg`.
const FILLER = / \/\/ Object\.is equality$/;
const BOOLEAN = /^([\s\S]+): expected (true|false) to be (true|false)$/;

/** The test's message and diff with vitest's filler trimmed where the check's own message says it. */
export function trimFiller(t: Pick<TestResult, 'message' | 'diff'>): { message: string | undefined; diff: string | undefined } {
  if (t.message === undefined) return { message: undefined, diff: t.diff };
  const message = t.message.replace(FILLER, '');
  const bool = BOOLEAN.exec(message);
  if (bool) return { message: bool[1]!, diff: undefined };
  // A one-value diff (`- 50` / `+ 1`) repeats an `expected 1 to be 50` already in the message.
  const values = t.diff?.split('\n').filter((l) => /^[-+] /.test(l) && !/^[-+] (Expected|Received)$/.test(l));
  const repeated = values?.length === 2 && message.includes(`expected ${values[1]!.slice(2)} to be ${values[0]!.slice(2)}`);
  return { message, diff: repeated ? undefined : t.diff };
}

function formatDiff(diff: string | undefined, s: Style, all: boolean): string[] {
  if (diff === undefined) return [];
  const lines = diff.split('\n');
  const max = all ? Infinity : MAX_DIFF_LINES;
  const shown = lines.slice(0, max).map((l) => (l.startsWith('- ') || l.startsWith('-  ') ? s.green(l) : l.startsWith('+') ? s.red(l) : l));
  if (lines.length > max) shown.push(s.dim(`… ${lines.length - max} more lines of diff`));
  return shown.map((l) => `    ${l}`);
}

function formatFailedTest(t: TestResult, s: Style, all: boolean, link?: Linker): string[] {
  const out = [`  ${s.red('✗')} ${t.name}`];
  const { message, diff } = trimFiller(t);
  if (message) out.push(...message.split('\n').map((l) => `    ${l}`));
  out.push(...formatDiff(diff, s, all));
  if (t.frame) out.push(...formatFrame(t.frame, s, link).map((l) => `  ${l}`));
  return out;
}

function pushLesson(out: string[], where: string | undefined): void {
  if (where) out.push(`  The lesson that explains this: ${where}`);
}

/**
 * A verdict as plain lines (styled when `s` colours). Shared by `run`, `verify` and the watch
 * screens; `all` (the TUI, which scrolls) keeps every type error and console line the verdict has.
 */
export interface FormatOptions {
  all?: boolean;
  /** Where the lesson explaining a diagnosis is (already formatted, e.g. as a link), if the course says. */
  lessonFor?: (kind: DiagnosisKind) => string | undefined;
  /** Makes each `at file:line:column` clickable. */
  link?: Linker;
}

/** A TypeScript message as lines of its own (its chain indented): a screen wraps lines, not embedded newlines. */
const typeMessage = (e: TypeDiagnostic): string[] => e.message.split('\n').map((l, i) => (i === 0 ? `  TS${e.code}: ${l}` : `    ${l}`));

/** Type errors beside a failing run: first, because they are often the cause; a few, they are a hint. */
function formatTypeNote(v: Verdict, s: Style, link?: Linker): string[] {
  const errors = v.typeErrors ?? [];
  if (errors.length === 0) return [];
  const n = errors.length;
  const out = [s.yellow(`  TypeScript finds ${n} error${n === 1 ? '' : 's'} in your code, which may be why:`)];
  for (const e of errors.slice(0, TYPE_NOTE_MAX)) {
    out.push(...typeMessage(e));
    if (e.frame) out.push(...formatFrame(e.frame, s, link));
  }
  if (n > TYPE_NOTE_MAX) out.push(s.dim(`  … ${n - TYPE_NOTE_MAX} more (your editor shows them all)`));
  return out;
}

export function formatVerdict(v: Verdict, s: Style, options: FormatOptions = {}): string[] {
  const out: string[] = [];
  const passedCount = v.tests.filter((t) => t.state === 'passed').length;
  switch (v.status) {
    case 'passed':
      out.push(s.green(`✓ ${v.exercise} passed`) + s.dim(` (${passedCount} test${passedCount === 1 ? '' : 's'}, ${v.durationMs} ms)`));
      break;
    case 'failed': {
      const failed = v.tests.filter((t) => t.state === 'failed');
      const count = failed.length > 0 ? s.dim(` (${failed.length} of ${v.tests.length} test${v.tests.length === 1 ? '' : 's'} failing)`) : '';
      out.push(s.red(`✗ ${v.exercise} failed`) + count);
      if (v.reason) out.push(`  ${v.reason}`);
      if (v.loadError) {
        out.push(...v.loadError.message.split('\n').map((l) => `  ${l}`));
        if (v.loadError.frame) out.push(...formatFrame(v.loadError.frame, s, options.link));
      }
      for (const t of failed) out.push(...formatFailedTest(t, s, options.all ?? false, options.link));
      break;
    }
    case 'compile-error':
      out.push(s.red(`✗ ${v.exercise} does not compile: ${v.message}`));
      if (v.frame) out.push(...formatFrame(v.frame, s, options.link));
      break;
    case 'type-error':
      out.push(s.red(`✗ ${v.exercise} has ${v.errors.length} type error${v.errors.length === 1 ? '' : 's'}`));
      const shown = options.all ? v.errors.length : 5;
      for (const e of v.errors.slice(0, shown)) {
        out.push(...typeMessage(e));
        if (e.frame) out.push(...formatFrame(e.frame, s, options.link));
      }
      if (v.errors.length > shown) out.push(s.dim(`  … ${v.errors.length - shown} more`));
      break;
    case 'timeout':
      out.push(s.yellow(`⧗ ${v.exercise}: ${v.diagnosis.kind === 'blocked-event-loop' ? 'blocked the event loop' : v.diagnosis.kind === 'never-settled' ? 'a promise never settled' : 'left work running'}`));
      out.push(`  ${v.diagnosis.message}`);
      if (v.diagnosis.frame) out.push(...formatFrame(v.diagnosis.frame, s, options.link));
      pushLesson(out, options.lessonFor?.(v.diagnosis.kind));
      break;
    case 'crashed':
      out.push(s.red(`✗ ${v.exercise} crashed: ${v.how}`));
      for (const l of options.all ? v.lastOutput : v.lastOutput.slice(-8)) out.push(s.dim(`  ${l}`));
      break;
  }
  // Right under the headline: a failing test's diff can run to hundreds of lines.
  out.splice(1, 0, ...formatTypeNote(v, s, options.link));
  for (const w of v.warnings) out.push(s.yellow(`  ! ${w}`));
  // Warnings on a pass are only ever left-open handles (to-verdict.ts).
  if (v.status === 'passed' && v.warnings.length > 0) pushLesson(out, options.lessonFor?.('open-handles'));
  if (v.console.length > 0) {
    const keep = options.all ? Infinity : 20;
    const { dropped, lines } = uncapLines(v.console);
    const hidden = dropped + Math.max(0, lines.length - keep);
    out.push(s.dim('  Your console output:'));
    if (hidden > 0) out.push(s.dim(`  (${hidden} earlier lines not shown${lines.length > keep ? `; \`async-lessons run --json\` has the last ${lines.length}` : ''})`));
    for (const l of lines.slice(-keep)) out.push(`  │ ${l}`);
  }
  return out;
}

/** One line: what went wrong, for summaries (verify, dev check, grading). */
export function verdictSummary(v: Verdict): string {
  switch (v.status) {
    case 'passed':
      return 'passed';
    case 'failed': {
      const first = v.tests.find((t) => t.state === 'failed');
      if (first) return `failed: "${first.name}": ${(first.message ?? '').split('\n')[0]}`;
      return `failed: ${v.reason ?? v.loadError?.message.split('\n')[0] ?? 'see `run`'}`;
    }
    case 'compile-error':
      return `does not compile: ${v.message}${v.frame ? ` (${v.frame.file}:${v.frame.line})` : ''}`;
    case 'type-error': {
      const e = v.errors[0]!;
      return `type error TS${e.code}: ${e.message.split('\n')[0]}${e.frame ? ` (${e.frame.file}:${e.frame.line})` : ''}`;
    }
    case 'timeout':
      return `${v.diagnosis.kind === 'blocked-event-loop' ? 'blocked the event loop' : 'a promise never settled'}${v.diagnosis.test ? ` in "${v.diagnosis.test}"` : ''}`;
    case 'crashed':
      return `crashed: ${v.how}`;
  }
}
