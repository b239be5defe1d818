import type { UserError } from '../../../core/errors.js';
import type { FailCode, Verdict } from '../../../core/verdict.js';
import type { Slot } from './run-area.js';

const VITEST_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"](?:vitest|@vitest\/[^'"]*)['"]/;

/** Exercise files may not import vitest: checks belong to the course, not to the learner. */
export function importsVitest(source: string): boolean {
  return VITEST_IMPORT.test(source);
}

/** The verdict for a slot whose learner files import vitest, or undefined when none does. */
export function vitestImportVerdict(slot: Slot): Verdict | undefined {
  if (![...slot.learnerFiles].some((f) => importsVitest(slot.sources.get(f) ?? ''))) return undefined;
  return failedBefore(slot.exercise.name, 'imports-vitest', 'Exercise files may not import vitest: the checks belong to the course. Remove the vitest import from your file.');
}

/** A check that could not even be set up (a missing or refused file), as a verdict for batches. */
export const unplacedVerdict = (exercise: string, error: UserError): Verdict => failedBefore(exercise, 'not-placed', `${error.message}${error.next ? ` ${error.next}` : ''}`);

const failedBefore = (exercise: string, code: FailCode, reason: string): Verdict => ({ exercise, status: 'failed', code, reason, durationMs: 0, tests: [], console: [], warnings: [] });
