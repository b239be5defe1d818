import { z } from 'zod';

export const PROGRESS_VERSION = 1;

export const ExerciseProgressSchema = z.object({
  status: z.enum(['pending', 'done']),
  attempts: z.number().int().nonnegative(),
  hintsSeen: z.number().int().nonnegative(),
  firstPassAt: z.string().nullable(),
});

/**
 * `.async-lessons/progress.json`. Exercises are a record keyed by name, so entries for names the
 * current course no longer has are carried along untouched (a course update may bring them back).
 */
export const ProgressSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  current: z.string().nullable(),
  exercises: z.record(z.string(), ExerciseProgressSchema),
  /** Topics whose lesson the learner has been shown (watch mode shows it on entering a topic). */
  seenTopics: z.array(z.string()).default([]),
});

export type ExerciseProgress = z.infer<typeof ExerciseProgressSchema>;
export type Progress = z.infer<typeof ProgressSchema>;

const fresh: ExerciseProgress = { status: 'pending', attempts: 0, hintsSeen: 0, firstPassAt: null };

export const emptyProgress = (): Progress => ({ version: PROGRESS_VERSION, current: null, exercises: {}, seenTopics: [] });

export const entryOf = (p: Progress, name: string): ExerciseProgress => p.exercises[name] ?? fresh;

const withEntry = (p: Progress, name: string, patch: Partial<ExerciseProgress>): Progress => ({
  ...p,
  exercises: { ...p.exercises, [name]: { ...entryOf(p, name), ...patch } },
});

export type ProgressAction =
  | { type: 'checked'; name: string; passed: boolean; at: string }
  | { type: 'mark-done'; name: string }
  | { type: 'hint-shown'; name: string; count: number }
  | { type: 'select'; name: string }
  | { type: 'topic-seen'; topic: string };

/** The pure progress transition. `order` is the course's exercise names in order. */
export function progressReducer(p: Progress, action: ProgressAction): Progress {
  switch (action.type) {
    case 'checked': {
      const e = entryOf(p, action.name);
      return withEntry(p, action.name, {
        attempts: e.attempts + 1,
        firstPassAt: e.firstPassAt ?? (action.passed ? action.at : null),
      });
    }
    case 'mark-done':
      return withEntry(p, action.name, { status: 'done' });
    case 'hint-shown': {
      const e = entryOf(p, action.name);
      return withEntry(p, action.name, { hintsSeen: Math.min(action.count, Math.max(e.hintsSeen + 1, 0)) });
    }
    case 'select':
      return { ...p, current: action.name };
    case 'topic-seen':
      return p.seenTopics.includes(action.topic) ? p : { ...p, seenTopics: [...p.seenTopics, action.topic] };
  }
}

/** The exercise the learner is on: the recorded one if the course still has it, else the first pending. */
export function currentExercise(p: Progress, order: readonly string[]): string | undefined {
  if (p.current !== null && order.includes(p.current)) return p.current;
  return nextPending(p, order, undefined) ?? order[0];
}

/** The first pending exercise after `after` (wrapping around), or undefined when all are done. */
export function nextPending(p: Progress, order: readonly string[], after: string | undefined): string | undefined {
  const start = after === undefined ? 0 : order.indexOf(after) + 1;
  for (let i = 0; i < order.length; i++) {
    const name = order[(start + i) % order.length]!;
    if (entryOf(p, name).status !== 'done') return name;
  }
  return undefined;
}

export const doneCount = (p: Progress, order: readonly string[]): number =>
  order.filter((n) => entryOf(p, n).status === 'done').length;
