import type { DiagnosisKind, Verdict, VerdictStatus } from './verdict.js';

/*
 * The grading rules, with no IO: what a student gets for an exercise, and for the course.
 *
 * A grade is made only of what the same submission always produces (statuses, test names,
 * assertion messages, file names); durations, temp paths and measured seconds stay out, so the
 * same class graded twice gives byte-identical grades files.
 */

/** A verdict's status, or why there was nothing to run. */
export type GradeStatus = VerdictStatus | 'missing' | 'refused' | 'not-graded';

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
}

const MESSAGE_MAX = 300;

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

function fromVerdict(v: Verdict): Pick<ExerciseGrade, 'status' | 'reason' | 'firstFailure' | 'diagnosis'> {
  switch (v.status) {
    case 'passed':
      return { status: 'passed' };
    case 'failed': {
      const t = v.tests.find((x) => x.state === 'failed');
      if (t) {
        const message = oneLine(t.message ?? 'failed');
        return { status: 'failed', reason: `${t.name}: ${message}`, firstFailure: { test: t.name, message } };
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
      return { status: 'timeout', diagnosis: d.kind, reason: `${DIAGNOSED[d.kind]}${d.test ? ` (test "${d.test}")` : ''}` };
    }
    case 'crashed':
      return { status: 'crashed', reason: oneLine(v.how) };
  }
}

/** One exercise's grade: full points for a pass with the pristine checks, none otherwise. */
export function gradeExercise(exercise: GradedExercise, input: ExerciseInput, tampered: readonly string[] = []): ExerciseGrade {
  const base = { exercise: exercise.name, topic: exercise.dir, max: exercise.points, tampered: [...tampered].sort() };
  switch (input.kind) {
    case 'verdict': {
      const decided = fromVerdict(input.verdict);
      const tests = input.verdict.tests.map((t): GradedTest => (t.state === 'failed' ? { name: t.name, state: t.state, message: oneLine(t.message ?? '') } : { name: t.name, state: t.state }));
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
