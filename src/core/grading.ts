import { parse as parseToml } from 'smol-toml';
import type { DiagnosisKind, Verdict, VerdictStatus } from './verdict.js';

/*
 * The grading rules, with no IO: what a student gets for an exercise, and for the course.
 *
 * A grade is made only of what the same submission always produces (statuses, test names,
 * assertion messages, file names); durations, temp paths and measured seconds stay out, so the
 * same class graded twice gives byte-identical grades files.
 */

/** A verdict's status, or why there was nothing to run. */
export type GradeStatus = VerdictStatus | 'rewrote-builtins' | 'missing' | 'refused' | 'not-graded';

export interface GradedTest {
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  message?: string;
}

export interface ExerciseGrade {
  exercise: string;
  topic: string;
  status: GradeStatus;
  /** Earned: `max` for a pass, else 0. */
  points: number;
  max: number;
  /** One line: why it did not pass (absent for a pass). */
  reason?: string;
  firstFailure?: { test: string; message: string };
  diagnosis?: DiagnosisKind;
  /** With status `rewrote-builtins`: what the exercise's code changed (`replaced Object.is`, …). */
  rewrote?: string[];
  /**
   * The submission's copies of this exercise's checks that differ from the pristine ones. The
   * exercise is graded with the pristine checks all the same, so tampering is a flag, not a grade.
   */
  tampered: string[];
  tests: GradedTest[];
}

export interface StudentGrade {
  student: string;
  /** Why (part of) the submission could not be graded: not a workspace, a refused file, … */
  problems: string[];
  /** Tampered files that belong to no single exercise (the course library's declarations). */
  tampered: string[];
  exercises: ExerciseGrade[];
  points: number;
  max: number;
  /** With --roster: a submission whose id the roster does not list (graded all the same). */
  notOnRoster?: true;
  /** With --roster: on the roster, but nothing was handed in. */
  noSubmission?: true;
  /**
   * The course the workspace says it was made with, when that is not the one graded against. Only
   * a flag: the submission is graded with the installed pristine checks like any other.
   */
  madeWith?: { course: string; version: string };
}

/** What grading had for one exercise of one submission. */
export type ExerciseInput =
  | { kind: 'verdict'; verdict: Verdict }
  | { kind: 'missing'; files: string[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'not-graded'; reason: string };

export interface GradedExercise {
  name: string;
  dir: string;
  points: number;
  /** The course's first hint, for the student's feedback. */
  hint?: string;
}

/*
 * Output caps: a grade keeps no console output at all, one bounded line per message and a bounded
 * test name, so a submission that prints megabytes or throws a megabyte message costs its row a few
 * hundred bytes, in grades.json and in every other output made from the grade.
 */
const MESSAGE_MAX = 300;
const NAME_MAX = 160;
const nameOf = (name: string) => oneLine(name, NAME_MAX);

/** The first line of a message, bounded: a grade names the failure, the learner's run shows it all. */
export function oneLine(text: string, max = MESSAGE_MAX): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

// The diagnosis message measures seconds, which differ run to run: the grade says it from the kind.
const DIAGNOSED: Record<DiagnosisKind, string> = {
  'blocked-event-loop': 'blocked the event loop',
  'never-settled': 'a promise never settled',
  'open-handles': 'a timer or socket was left running',
};

/*
 * The test workers put back any built-in a learner file changes and fail every test of that file
 * with one sentence (harness/builtins.ts describeChanges): "your code replaced Object.is, deleted
 * JSON.stringify; the checks rely on the real ones, so this file cannot pass — …". Grading names
 * that as its own outcome, whatever else failed: the tests of such a file prove nothing, so the
 * exercise gets no points and the instructor sees why. Forging the sentence gains nothing (the
 * exercise fails either way); tests/core/grading.test.ts keeps this in step with describeChanges.
 */
const REWROTE = /your code (.+?); the checks rely on the real ones?, so this file cannot pass/;

/** What a verdict says the exercise's code changed among the built-ins, or undefined. */
export function rewroteBuiltins(v: Verdict): string[] | undefined {
  const messages = [...v.tests.map((t) => t.message ?? ''), ...(v.status === 'failed' ? [v.loadError?.message ?? '', v.reason ?? ''] : [])];
  for (const m of messages) {
    const found = REWROTE.exec(m);
    if (found) return found[1]!.split(', ').map((c) => oneLine(c, 120));
  }
  return undefined;
}

function fromVerdict(v: Verdict): Pick<ExerciseGrade, 'status' | 'reason' | 'firstFailure' | 'diagnosis' | 'rewrote'> {
  const rewrote = v.status === 'passed' ? undefined : rewroteBuiltins(v);
  if (rewrote) return { status: 'rewrote-builtins', rewrote, reason: oneLine(`rewrote built-ins: ${rewrote.join(', ')}`) };
  switch (v.status) {
    case 'passed':
      return { status: 'passed' };
    case 'failed': {
      const t = v.tests.find((x) => x.state === 'failed');
      if (t) {
        const message = oneLine(t.message ?? 'failed');
        return { status: 'failed', reason: `${nameOf(t.name)}: ${message}`, firstFailure: { test: nameOf(t.name), message } };
      }
      return { status: 'failed', reason: oneLine(v.loadError?.message ?? v.reason ?? 'the check failed') };
    }
    case 'compile-error': {
      const at = v.frame ? `${v.frame.file}:${v.frame.line}:${v.frame.column}: ` : '';
      return { status: 'compile-error', reason: `${at}${oneLine(v.message)}` };
    }
    case 'type-error': {
      const e = v.errors[0];
      const at = e?.frame ? `${e.frame.file}:${e.frame.line}: ` : '';
      return { status: 'type-error', reason: e ? `${at}TS${e.code} ${oneLine(e.message)}` : 'type errors' };
    }
    case 'timeout': {
      const d = v.diagnosis;
      return { status: 'timeout', diagnosis: d.kind, reason: `${DIAGNOSED[d.kind]}${d.test ? ` (test "${nameOf(d.test)}")` : ''}` };
    }
    case 'crashed': {
      // A worker that reached its heap cap: the host names the cap in the dying worker's message.
      const oom = v.lastOutput.map((l) => OOM_RE.exec(l)?.[0]).find(Boolean);
      return { status: 'crashed', reason: oom ?? oneLine(v.how) };
    }
  }
}

const OOM_RE = /ran out of memory \(cap \d+ MB\)/;

/** One exercise's grade: full points for a pass with the pristine checks, none otherwise. */
export function gradeExercise(exercise: GradedExercise, input: ExerciseInput, tampered: readonly string[] = []): ExerciseGrade {
  const base = { exercise: exercise.name, topic: exercise.dir, max: exercise.points, tampered: [...tampered].sort() };
  switch (input.kind) {
    case 'verdict': {
      const decided = fromVerdict(input.verdict);
      const tests = input.verdict.tests.map((t): GradedTest => (t.state === 'failed' ? { name: nameOf(t.name), state: t.state, message: oneLine(t.message ?? '') } : { name: nameOf(t.name), state: t.state }));
      return { ...base, ...decided, points: decided.status === 'passed' ? exercise.points : 0, tests };
    }
    case 'missing':
      return { ...base, status: 'missing', points: 0, reason: `${input.files.join(', ')} ${input.files.length === 1 ? 'is' : 'are'} not in the submission`, tests: [] };
    case 'refused':
    case 'not-graded':
      return { ...base, status: input.kind, points: 0, reason: input.reason, tests: [] };
  }
}

/** A student's grade for the course: exercises in course order, points summed. */
export function gradeStudent(student: string, exercises: readonly ExerciseGrade[], problems: readonly string[] = [], tampered: readonly string[] = []): StudentGrade {
  return {
    student,
    problems: [...problems],
    tampered: [...tampered].sort(),
    exercises: [...exercises],
    points: exercises.reduce((n, e) => n + e.points, 0),
    max: exercises.reduce((n, e) => n + e.max, 0),
  };
}

/**
 * A submission that could not be graded at all: every exercise not graded (nothing to grade), or
 * refused (what was handed in was unsafe to unpack), for the same reason.
 */
export function ungradable(student: string, exercises: readonly GradedExercise[], problem: string, kind: 'not-graded' | 'refused' = 'not-graded'): StudentGrade {
  return gradeStudent(student, exercises.map((e) => gradeExercise(e, { kind, reason: problem })), [problem]);
}

/**
 * `--only`: topic folders or exercise names, in course order. Unknown words are returned, so the
 * command can name them rather than grade nothing.
 */
export function selectExercises<E extends { name: string; dir: string }>(all: readonly E[], only: readonly string[] | undefined): { selected: E[]; unknown: string[] } {
  if (only === undefined || only.length === 0) return { selected: [...all], unknown: [] };
  const words = new Set(only);
  const unknown = only.filter((w) => !all.some((e) => e.name === w || e.dir === w));
  return { selected: all.filter((e) => words.has(e.name) || words.has(e.dir)), unknown };
}

/**
 * Student ids from folder names, sorted by name then path. Two folders of the same name (from two
 * class folders) both stay: the later gets `name~2`, and the order makes that deterministic.
 */
export function studentIds(folders: ReadonlyArray<{ name: string; path: string }>): Array<{ id: string; path: string }> {
  const sorted = [...folders].sort((a, b) => cmp(a.name, b.name) || cmp(a.path, b.path));
  const seen = new Map<string, number>();
  return sorted.map((f) => {
    const n = (seen.get(f.name) ?? 0) + 1;
    seen.set(f.name, n);
    return { id: n === 1 ? f.name : `${f.name}~${n}`, path: f.path };
  });
}

/** Code-unit order, never the locale's: the same ids sort the same on every machine. */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Students in id order, whatever order the parallel jobs finished in. */
export const byStudent = (students: readonly StudentGrade[]): StudentGrade[] => [...students].sort((a, b) => cmp(a.student, b.student));

/* --- What the instructor gives beside the submissions: a roster, a points table. --- */

/** One CSV line's cells (RFC 4180 quotes; `,`, `;` or a tab as the separator). */
function csvCells(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted) {
      if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === sep) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** Header names of the column holding the student id, as platforms export them. */
const ID_COLUMNS = ['id', 'student', 'student id', 'student_id', 'login', 'username', 'github', 'github username', 'github_username'];

/**
 * `--roster`: the ids of a CSV file. A header line is recognised when one of its cells names the id
 * column (id, student, login, username, github, …), and that column is taken; without one, every
 * line is a student and the first column the id. Blank lines and `#` comments are skipped.
 */
export function parseRoster(text: string): { ids: string[] } | { error: string } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (lines.length === 0) return { error: 'the roster lists no student' };
  const first = lines[0]!;
  const sep = [',', ';', '\t'].find((c) => first.includes(c)) ?? ',';
  const head = csvCells(first, sep).map((c) => c.toLowerCase());
  const column = head.findIndex((c) => ID_COLUMNS.includes(c));
  const rows = (column >= 0 ? lines.slice(1) : lines).map((l) => csvCells(l, sep)[Math.max(0, column)] ?? '');
  const blank = rows.findIndex((id) => id === '');
  if (blank >= 0) return { error: `line ${blank + (column >= 0 ? 2 : 1)} has no student id` };
  const ids = [...new Set(rows)].sort(cmp);
  return ids.length === 0 ? { error: 'the roster lists no student' } : { ids };
}

/** With --roster, a submission the roster does not list is flagged (and graded all the same). */
export function checkRoster(grade: StudentGrade, roster: ReadonlySet<string> | undefined): StudentGrade {
  return roster && !roster.has(grade.student) ? { ...grade, notOnRoster: true } : grade;
}

/** Roster ids nobody handed anything in for, in id order: each gets a row of `missing`. */
export const absentFrom = (roster: ReadonlySet<string> | undefined, ids: readonly string[]): string[] => (roster ? [...roster].filter((id) => !ids.includes(id)).sort(cmp) : []);

export function noSubmission(student: string, exercises: readonly GradedExercise[]): StudentGrade {
  const none = exercises.map((e): ExerciseGrade => ({ exercise: e.name, topic: e.dir, status: 'missing', points: 0, max: e.points, reason: 'no submission', tampered: [], tests: [] }));
  return { ...gradeStudent(student, none, ['on the roster, but no submission was found']), noSubmission: true };
}

/**
 * `--points`: exercise name → points, as TOML (`join = 3`) or JSON (`{ "join": 3 }`). Names the
 * course does not have are returned, so the command can name them rather than ignore a typo.
 */
export function parsePoints(text: string, format: 'toml' | 'json', known: readonly string[]): { points: Map<string, number> } | { error: string } {
  let doc: unknown;
  try {
    doc = format === 'json' ? JSON.parse(text) : parseToml(text);
  } catch (error) {
    return { error: `it is not valid ${format.toUpperCase()}: ${oneLine(error instanceof Error ? error.message : String(error))}` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { error: 'it must map exercise names to points' };
  const entries = Object.entries(doc as Record<string, unknown>);
  const unknown = entries.map(([k]) => k).filter((k) => !known.includes(k));
  if (unknown.length > 0) return { error: `the course has no exercise named ${unknown.map((w) => `"${w}"`).join(', ')}` };
  const bad = entries.filter(([, v]) => typeof v !== 'number' || !Number.isInteger(v) || v < 0);
  if (bad.length > 0) return { error: `points must be whole numbers, 0 or more: ${bad.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')}` };
  return { points: new Map(entries as Array<[string, number]>) };
}

/**
 * What the workspace says it was made with, read as untrusted data: it decides nothing but a flag,
 * and only when it names another course or version than the one graded against.
 */
export function madeWithOther(meta: unknown, graded: { name: string; version: string }): { course: string; version: string } | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const { name, version } = meta as Record<string, unknown>;
  if (typeof name !== 'string' || typeof version !== 'string') return undefined;
  if (name === graded.name && version === graded.version) return undefined;
  return { course: oneLine(name, 80), version: oneLine(version, 40) };
}
