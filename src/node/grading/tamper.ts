import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Exercise } from '../../core/course-schema.js';
import { courseLibDeclarations, courseLibImplementations } from '../course-lib.js';
import { readNoFollow } from './safe-read.js';

/*
 * Tamper evidence. A workspace holds copies of the course's checks and fixtures (so the learner can
 * read them) and the course library's declarations. None of them is ever used for grading — the
 * engine places the package's pristine copies — but a submission whose copies differ says
 * something an instructor wants to know: a check edited to pass, a fixture loosened. We compare
 * with the files themselves rather than course.lock.json's hashes: the files are always there,
 * while a course in development may have no lock yet.
 */

interface PristineFile {
  /** Relative to the submission root: `exercises/01_basics/fails.test.ts`. */
  rel: string;
  content: Buffer;
  /** Reported only when the submission holds the file (declarations of an old workspace may not). */
  optional: boolean;
}

export interface Pristine {
  byExercise: Map<string, PristineFile[]>;
  shared: PristineFile[];
}

export async function pristineFiles(courseRoot: string, exercises: readonly Exercise[]): Promise<Pristine> {
  const dir = path.join(courseRoot, 'exercises');
  const byExercise = new Map<string, PristineFile[]>();
  for (const e of exercises) {
    const files: PristineFile[] = [];
    for (const rel of [e.testFile, ...e.checkFiles]) {
      // A types-only exercise may have no runtime check on disk.
      const content = await readFile(path.join(dir, rel)).catch(() => undefined);
      if (content) files.push({ rel: `exercises/${rel}`, content, optional: false });
    }
    byExercise.set(e.name, files);
  }
  const shared: PristineFile[] = [];
  for (const [rel, text] of await courseLibDeclarations(courseRoot)) shared.push({ rel: `exercises/${rel}`, content: Buffer.from(text), optional: true });
  // Workspaces made before declarations held the library's code itself.
  for (const rel of await courseLibImplementations(courseRoot)) shared.push({ rel: `exercises/${rel}`, content: await readFile(path.join(dir, rel)), optional: true });
  return { byExercise, shared };
}

async function differs(submission: string, f: PristineFile): Promise<string | undefined> {
  const read = await readNoFollow(submission, f.rel);
  if (read.kind === 'missing') return f.optional ? undefined : `${f.rel} (deleted)`;
  if (read.kind === 'refused') return `${f.rel} (${read.reason.replace(`${f.rel} `, '')})`;
  return read.content.equals(f.content) ? undefined : f.rel;
}

/** The submission's files that differ from the pristine copies, by exercise and course-wide. */
export async function tamperedFiles(submission: string, pristine: Pristine): Promise<{ byExercise: Map<string, string[]>; shared: string[] }> {
  const byExercise = new Map<string, string[]>();
  for (const [name, files] of pristine.byExercise) {
    const found: string[] = [];
    for (const f of files) {
      const d = await differs(submission, f);
      if (d) found.push(d);
    }
    byExercise.set(name, found);
  }
  const shared: string[] = [];
  for (const f of pristine.shared) {
    const d = await differs(submission, f);
    if (d) shared.push(d);
  }
  return { byExercise, shared };
}
