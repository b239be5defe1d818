import { uncapLines, type CodeFrame, type DiagnosisKind, type TestResult, type Verdict } from '../core/verdict.js';
import type { Style } from './style.js';

const MAX_DIFF_LINES = 16;

export function formatFrame(frame: CodeFrame, s: Style): string[] {
  const width = String(frame.lines.at(-1)?.n ?? frame.line).length;
  const out = [s.dim(`  at ${frame.file}:${frame.line}:${frame.column}`)];
  for (const l of frame.lines) {
    const mark = l.n === frame.line ? s.red('>') : ' ';
    out.push(`  ${mark} ${s.dim(String(l.n).padStart(width))} | ${l.text}`);
    if (l.n === frame.line && frame.column > 0) out.push(`    ${' '.repeat(width)} | ${' '.repeat(frame.column - 1)}${s.red('^')}`);
  }
  return out;
}

function formatDiff(t: TestResult, s: Style): string[] {
  if (t.diff === undefined) return [];
  const lines = t.diff.split('\n');
  const shown = lines.slice(0, MAX_DIFF_LINES).map((l) => (l.startsWith('- ') || l.startsWith('-  ') ? s.green(l) : l.startsWith('+') ? s.red(l) : l));
  if (lines.length > MAX_DIFF_LINES) shown.push(s.dim(`… ${lines.length - MAX_DIFF_LINES} more lines of diff`));
  return shown.map((l) => `    ${l}`);
}

function formatFailedTest(t: TestResult, s: Style): string[] {
  const out = [`  ${s.red('✗')} ${t.name}`];
  if (t.message) out.push(...t.message.split('\n').map((l) => `    ${l}`));
  out.push(...formatDiff(t, s));
  if (t.frame) out.push(...formatFrame(t.frame, s).map((l) => `  ${l}`));
  return out;
}

function pushLesson(out: string[], where: string | undefined): void {
  if (where) out.push(`  The lesson that explains this: ${where}`);
}

/**
 * A verdict as plain lines (styled when `s` colours). Shared by `run`, `verify` and the watch
 * screens; `compact` (the TUI) shows the first failing test in full and names the others.
 */
export interface FormatOptions {
  compact?: boolean;
  /** Where the lesson explaining a diagnosis is (already formatted, e.g. as a link), if the course says. */
  lessonFor?: (kind: DiagnosisKind) => string | undefined;
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
        if (v.loadError.frame) out.push(...formatFrame(v.loadError.frame, s));
      }
      for (const [i, t] of failed.entries()) {
        if (options.compact && i > 0) out.push(`  ${s.red('✗')} ${t.name}`);
        else out.push(...formatFailedTest(t, s));
      }
      break;
    }
    case 'compile-error':
      out.push(s.red(`✗ ${v.exercise} does not compile: ${v.message}`));
      if (v.frame) out.push(...formatFrame(v.frame, s));
      break;
    case 'type-error':
      out.push(s.red(`✗ ${v.exercise} has ${v.errors.length} type error${v.errors.length === 1 ? '' : 's'}`));
      for (const e of v.errors.slice(0, 5)) {
        out.push(`  TS${e.code}: ${e.message.split('\n').join('\n    ')}`);
        if (e.frame) out.push(...formatFrame(e.frame, s));
      }
      if (v.errors.length > 5) out.push(s.dim(`  … ${v.errors.length - 5} more`));
      break;
    case 'timeout':
      out.push(s.yellow(`⧗ ${v.exercise}: ${v.diagnosis.kind === 'blocked-event-loop' ? 'blocked the event loop' : v.diagnosis.kind === 'never-settled' ? 'a promise never settled' : 'left work running'}`));
      out.push(`  ${v.diagnosis.message}`);
      if (v.diagnosis.frame) out.push(...formatFrame(v.diagnosis.frame, s));
      pushLesson(out, options.lessonFor?.(v.diagnosis.kind));
      break;
    case 'crashed':
      out.push(s.red(`✗ ${v.exercise} crashed: ${v.how}`));
      for (const l of v.lastOutput.slice(-8)) out.push(s.dim(`  ${l}`));
      break;
  }
  for (const w of v.warnings) out.push(s.yellow(`  ! ${w}`));
  // Warnings on a pass are only ever left-open handles (to-verdict.ts).
  if (v.status === 'passed' && v.warnings.length > 0) pushLesson(out, options.lessonFor?.('open-handles'));
  if (v.console.length > 0) {
    const keep = options.compact ? 5 : 20;
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
