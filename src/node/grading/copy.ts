import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Exercise } from '../../core/course-schema.js';
import type { ExerciseInput } from '../../core/grading.js';
import { readNoFollow } from './safe-read.js';

/**
 * Copies one exercise's learner files, and nothing else, from a submission's `exercises/` into
 * `to` (its own temp folder). Checks, fixtures and the course library never come from the
 * submission: the engine places the course's pristine copies beside these files.
 * Returns undefined when every file was copied, else what grading records instead of a verdict.
 */
export async function copyLearnerFiles(submission: string, to: string, exercise: Exercise): Promise<Exclude<ExerciseInput, { kind: 'verdict' }> | undefined> {
  const missing: string[] = [];
  const copies: Array<[string, Buffer]> = [];
  for (const rel of exercise.learnerFiles) {
    const read = await readNoFollow(submission, `exercises/${rel}`);
    if (read.kind === 'refused') return { kind: 'refused', reason: read.reason };
    if (read.kind === 'missing') missing.push(`exercises/${rel}`);
    else copies.push([rel, read.content]);
  }
  if (missing.length > 0) return { kind: 'missing', files: missing };
  for (const [rel, content] of copies) {
    await mkdir(path.dirname(path.join(to, rel)), { recursive: true });
    await writeFile(path.join(to, rel), content);
  }
  return undefined;
}
