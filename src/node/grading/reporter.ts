import type { ExerciseGrade, GradedExercise, StudentGrade } from '../../core/grading.js';

/*
 * Grading's outputs are observers of one stream of results, as vitest's reporters are: the grader
 * calls report() at each step and knows no format; a format is one file implementing the hooks it
 * needs. Results arrive in the order the parallel jobs finish; a reporter that promises a stable
 * output sorts (onEnd gets the students in id order).
 */

export interface Isolation {
  /** The level in force, strongest first: what a submission's code could not do. */
  level: string;
  details: string[];
  /** What is not in force yet, said plainly. */
  missing: string[];
}

export interface GradeStart {
  course: { name: string; version: string };
  exercises: GradedExercise[];
  students: string[];
  jobs: number;
  isolation: Isolation;
}

export interface GradeEnd {
  /** In id order. */
  students: StudentGrade[];
  durationMs: number;
  /** Per student, how long grading took (run metadata: never in the grades files). */
  durations: Map<string, number>;
}

type Awaitable = void | Promise<void>;

export interface GradeReporter {
  onStart?(start: GradeStart): Awaitable;
  onSubmissionStart?(student: string): Awaitable;
  onExercise?(student: string, grade: ExerciseGrade): Awaitable;
  onSubmissionEnd?(grade: StudentGrade, durationMs: number): Awaitable;
  onEnd?(end: GradeEnd): Awaitable;
}

type Hook = keyof GradeReporter;
type Args<K extends Hook> = Parameters<NonNullable<GradeReporter[K]>>;

/** Fans one event out to every reporter, in order (a file writer may await its disk). */
export async function report<K extends Hook>(reporters: readonly GradeReporter[], hook: K, ...args: Args<K>): Promise<void> {
  for (const r of reporters) {
    const fn = r[hook] as ((...a: Args<K>) => Awaitable) | undefined;
    await fn?.apply(r, args);
  }
}
