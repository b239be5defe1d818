import type { Exercise } from '../../core/course-schema.js';
import type { Verdict } from '../../core/verdict.js';
import type { LearnerSource } from './client/run-area.js';

/** One exercise to check: the course it comes from, and where the learner's files are. */
export interface CheckTarget {
  courseRoot: string;
  exercise: Exercise;
  learner: LearnerSource;
  /** Test names the course's lock file expects; when given, anything else fails the check. */
  expectedTests?: readonly string[];
}

/**
 * What every command uses to check exercises. The cold adapter (exec-runner) spawns vitest per
 * call; the warm check engine implements the same interface. Verdicts are values: an exercise that
 * fails, hangs or crashes resolves normally; only the runner's own bugs reject.
 */
export interface CheckOptions {
  /** Called with the runtime verdict as soon as it is in, before the type check finishes. */
  onRuntime?: (verdict: Verdict) => void;
  /** Run even if nothing changed since the last verdict for this target. */
  force?: boolean;
}

export interface CheckRunner {
  check(target: CheckTarget, options?: CheckOptions): Promise<Verdict>;
  /** Checks many exercises, in parallel where possible; verdicts in the order of `targets`. */
  checkMany(targets: readonly CheckTarget[], onVerdict?: (v: Verdict, index: number) => void): Promise<Verdict[]>;
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 5000;
