import type { Exercise } from '../core/course-schema.js';
import type { UserError } from '../core/errors.js';
import { accessUserError } from './fs-errors.js';
import { progressReducer, type Progress, type ProgressAction } from '../core/progress.js';
import type { CheckTarget } from './engine/index.js';
import type { LoadedCourse } from './course-loader.js';
import type { CourseLock } from './course-lock.js';
import type { ProgressStore } from './progress-store.js';
import type { Workspace } from './workspace.js';

/** A learner's workspace with its course and progress, ready for a command. */
export interface Learner {
  ws: Workspace;
  loaded: LoadedCourse;
  lock: CourseLock | undefined;
  store: ProgressStore;
  progress: Progress;
  order: string[];
  /**
   * Set when progress (or a revealed solution) could not be written because the workspace is not
   * writable: the command still shows what it computed, then says why nothing was saved.
   */
  unsaved?: UserError;
}

export async function applyProgress(l: Learner, ...actions: ProgressAction[]): Promise<void> {
  for (const a of actions) l.progress = progressReducer(l.progress, a);
  await keepGoing(l, () => l.store.save(l.progress));
}

/** Runs a write for the learner; a workspace that refuses it is noted on `l`, not thrown. */
export async function keepGoing(l: Learner, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const refused = accessUserError(error, { cwd: l.ws.root, root: l.ws.root });
    if (!refused) throw error;
    l.unsaved ??= refused;
  }
}

export function learnerTarget(l: Learner, exercise: Exercise): CheckTarget {
  const expected = l.lock?.exercises[exercise.name]?.tests;
  return {
    courseRoot: l.loaded.root,
    exercise,
    learner: { dir: l.ws.exercisesDir, displayBase: l.ws.root },
    ...(expected ? { expectedTests: expected } : {}),
  };
}

