import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Exercise } from '../core/course-schema.js';
import { UserError } from '../core/errors.js';
import type { LoadedCourse } from './course-loader.js';
import { courseLibDeclarations, courseLibImplementations, declarationPath, GENERATED_MARK, inCourseLib } from './course-lib.js';
import { copyInto, exists, stamp, writeFileAtomic } from './fs-utils.js';
import { backupsDir, type BackupInfo } from './backups.js';
import { copyHarnessTypes, listFiles, metaFile, solutionPlaceholder, type Workspace } from './workspace.js';

export { resetAll, resetExercise, undoReset, undoResetAll, type Undone } from './backups.js';

/** After a pass, the reference solution replaces its placeholder in the workspace's solutions/. */
export async function revealSolution(ws: Workspace, loaded: LoadedCourse, exercise: Exercise): Promise<string[]> {
  const shown: string[] = [];
  for (const rel of exercise.learnerFiles) {
    const from = path.join(loaded.root, 'solutions', rel);
    if (!(await exists(from))) continue;
    await copyInto(from, path.join(ws.solutionsDir, rel));
    shown.push(`solutions/${rel}`);
  }
  return shown;
}

export interface UpdateResult {
  added: string[];
  refreshed: string[];
  /** Course-library implementations an older async-lessons copied in (declarations replace them). */
  removed: string[];
  /** Where removed files that differed from the course's were kept, if any did. */
  backup: string | undefined;
}

const compareVersions = (a: string, b: string): number => {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
};

/** Course-library implementations in the workspace: an older init copied them there. */
async function copiedImplementations(ws: Workspace, loaded: LoadedCourse): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await courseLibImplementations(loaded.root)) if (await exists(path.join(ws.exercisesDir, rel))) out.push(rel);
  return out;
}

/**
 * One-line notices for `status`, watch and every learner command: once per newer course version;
 * and, until `update` is run, when an older init left the course library's code (answers) here.
 */
export async function updateNotice(ws: Workspace, loaded: LoadedCourse): Promise<string | undefined> {
  const lines: string[] = [];
  const newer = compareVersions(loaded.id.version, ws.meta.version) > 0;
  if (newer && ws.meta.announced !== loaded.id.version) {
    await writeFileAtomic(metaFile(ws.root), `${JSON.stringify({ ...ws.meta, announced: loaded.id.version }, null, 2)}\n`);
    lines.push(`The course is now version ${loaded.id.version} (this workspace has ${ws.meta.version}). Run \`async-lessons update\` to add new exercises and refresh the check files; your own files are never touched.`);
  }
  const copied = await copiedImplementations(ws, loaded);
  if (copied.length > 0) {
    lines.push(`This workspace still holds the course library's code (exercises/${copied[0]}${copied.length > 1 ? ', …' : ''}); run \`async-lessons update\` to replace it with declarations (your files are never touched).`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Adds new exercises and refreshes every non-learner file; learner files that exist are never touched. */
export async function updateWorkspace(ws: Workspace, loaded: LoadedCourse): Promise<UpdateResult> {
  // Made first: if TypeScript cannot read the course library, nothing has changed yet.
  const declarations = await courseLibDeclarations(loaded.root);
  const learner = new Set(loaded.course.exercises.flatMap((e) => e.learnerFiles));
  const result: UpdateResult = { added: [], refreshed: [], removed: [], backup: undefined };
  for (const rel of await listFiles(path.join(loaded.root, 'exercises'))) {
    if (inCourseLib(rel)) continue;
    const to = path.join(ws.exercisesDir, rel);
    const from = path.join(loaded.root, 'exercises', rel);
    const present = await exists(to);
    if (learner.has(rel)) {
      if (!present) {
        await copyInto(from, to);
        result.added.push(`exercises/${rel}`);
      }
      continue;
    }
    const same = present && (await readFile(to, 'utf8')) === (await readFile(from, 'utf8'));
    if (same) continue;
    await copyInto(from, to);
    (present ? result.refreshed : result.added).push(`exercises/${rel}`);
  }
  for (const e of loaded.course.exercises) {
    for (const rel of e.learnerFiles) {
      const to = path.join(ws.solutionsDir, rel);
      if (!(await exists(to))) await writeFileAtomic(to, solutionPlaceholder(rel, e.name));
    }
  }
  try {
    await syncCourseLib(ws, loaded, declarations, result);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (!e.code || !e.path) throw error;
    throw new UserError(`Could not update the course library in your workspace: ${e.code} on ${path.relative(ws.root, e.path) || e.path}.`, {
      next: 'Your exercise files were not touched. Make that folder writable, then run `async-lessons update` again.',
      code: 'UPDATE_FAILED',
    });
  }
  await copyHarnessTypes(ws.root);
  await writeFileAtomic(metaFile(ws.root), `${JSON.stringify({ ...ws.meta, name: loaded.id.name, version: loaded.id.version, announced: undefined }, null, 2)}\n`);
  return result;
}


/**
 * Writes the course library's declarations and takes out what an older init copied: the course's
 * implementations (kept in a backup first when they differ from the course's, e.g. edited by the
 * learner), and declarations we generated for library files the course no longer has.
 */
async function syncCourseLib(ws: Workspace, loaded: LoadedCourse, declarations: Map<string, string>, result: UpdateResult): Promise<void> {
  for (const [rel, text] of declarations) {
    const to = path.join(ws.exercisesDir, rel);
    const present = await exists(to);
    if (present && (await readFile(to, 'utf8')) === text) continue;
    await writeFileAtomic(to, text);
    (present ? result.refreshed : result.added).push(`exercises/${rel}`);
  }
  const differing: string[] = [];
  for (const rel of await copiedImplementations(ws, loaded)) {
    const mine = await readFile(path.join(ws.exercisesDir, rel), 'utf8');
    if (mine !== (await readFile(path.join(loaded.root, 'exercises', rel), 'utf8'))) differing.push(rel);
  }
  if (differing.length > 0) {
    const dir = path.join(backupsDir(ws), `${stamp()}-course-library`);
    for (const rel of differing) await copyInto(path.join(ws.exercisesDir, rel), path.join(dir, 'files', rel));
    const info: BackupInfo = { exercise: '(course library)', at: new Date().toISOString(), files: differing, kind: 'course-library' };
    await writeFileAtomic(path.join(dir, 'backup.json'), `${JSON.stringify(info, null, 2)}\n`);
    result.backup = dir;
  }
  for (const rel of await copiedImplementations(ws, loaded)) {
    await rm(path.join(ws.exercisesDir, rel));
    result.removed.push(`exercises/${rel}`);
  }
  for (const rel of await listFiles(ws.exercisesDir)) {
    if (!inCourseLib(rel) || declarationPath(rel) !== rel || declarations.has(rel)) continue;
    const text = await readFile(path.join(ws.exercisesDir, rel), 'utf8');
    if (!text.startsWith(GENERATED_MARK)) continue;
    await rm(path.join(ws.exercisesDir, rel));
    result.removed.push(`exercises/${rel}`);
  }
}
