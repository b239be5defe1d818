import type { Exercise } from '../core/course-schema.js';
import { progressReducer, type Progress, type ProgressAction } from '../core/progress.js';
import type { CheckTarget } from './check/check-runner.js';
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
}

export async function applyProgress(l: Learner, ...actions: ProgressAction[]): Promise<void> {
  for (const a of actions) l.progress = progressReducer(l.progress, a);
  await l.store.save(l.progress);
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

