import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './fs-utils.js';

export const LOCK_FILE = 'course.lock.json';

/**
 * Written by `dev check` when the whole course proves itself: per exercise, the tests its solution
 * passes (the engine requires all of them to run and pass) and the sha256 of every pristine file
 * (the grader reports a submission whose copies differ as tampered).
 */
export const CourseLockSchema = z.object({
  format: z.literal(1),
  exercises: z.record(z.string(), z.object({ tests: z.array(z.string()), files: z.record(z.string(), z.string()) })),
});
export type CourseLock = z.infer<typeof CourseLockSchema>;

export async function readLock(courseRoot: string): Promise<CourseLock | undefined> {
  try {
    return CourseLockSchema.parse(JSON.parse(await readFile(path.join(courseRoot, LOCK_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}

export async function writeLock(courseRoot: string, lock: CourseLock): Promise<void> {
  await writeFileAtomic(path.join(courseRoot, LOCK_FILE), `${JSON.stringify(lock, null, 2)}\n`);
}
