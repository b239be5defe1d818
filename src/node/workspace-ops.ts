import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Exercise } from '../core/course-schema.js';
import { UserError } from '../core/errors.js';
import type { LoadedCourse } from './course-loader.js';
import { copyInto, exists, stamp, writeFileAtomic } from './fs-utils.js';
import { copyHarnessTypes, listFiles, metaFile, solutionPlaceholder, type Workspace } from './workspace.js';

const backupsDir = (ws: Workspace) => path.join(ws.stateDir, 'backups');

interface BackupInfo {
  exercise: string;
  at: string;
  files: string[];
  /** Backups taken by undo-reset itself, so an undo can be undone by hand but is never picked. */
  kind: 'reset' | 'undo';
}

async function backup(ws: Workspace, exercise: Exercise, kind: BackupInfo['kind']): Promise<string> {
  const dir = path.join(backupsDir(ws), `${stamp()}-${exercise.name}${kind === 'undo' ? '-before-undo' : ''}`);
  const files: string[] = [];
  for (const rel of exercise.learnerFiles) {
    const from = path.join(ws.exercisesDir, rel);
    if (!(await exists(from))) continue;
    await copyInto(from, path.join(dir, 'files', rel));
    files.push(rel);
  }
  const info: BackupInfo = { exercise: exercise.name, at: new Date().toISOString(), files, kind };
  await writeFileAtomic(path.join(dir, 'backup.json'), `${JSON.stringify(info, null, 2)}\n`);
  return dir;
}

/** Restores an exercise's pristine files (learner files and its checks), keeping a backup first. */
export async function resetExercise(ws: Workspace, loaded: LoadedCourse, exercise: Exercise): Promise<string> {
  const saved = await backup(ws, exercise, 'reset');
  const pristine = [...exercise.learnerFiles, ...exercise.checkFiles, exercise.testFile];
  for (const rel of pristine) {
    const from = path.join(loaded.root, 'exercises', rel);
    if (!(await exists(from))) continue;
    const to = path.join(ws.exercisesDir, rel);
    await rm(to, { force: true, recursive: true });
    await copyInto(from, to);
  }
  return saved;
}

async function backups(ws: Workspace): Promise<Array<BackupInfo & { dir: string }>> {
  let names: string[];
  try {
    names = (await readdir(backupsDir(ws))).sort();
  } catch {
    return [];
  }
  const out: Array<BackupInfo & { dir: string }> = [];
  for (const n of names) {
    const dir = path.join(backupsDir(ws), n);
    try {
      out.push({ ...(JSON.parse(await readFile(path.join(dir, 'backup.json'), 'utf8')) as BackupInfo), dir });
    } catch {
      // Not one of ours, or damaged: leave it alone.
    }
  }
  return out;
}

/** Brings back the newest reset backup (of `name`, if given). The files it replaces are backed up too. */
export async function undoReset(ws: Workspace, loaded: LoadedCourse, name: string | undefined): Promise<{ exercise: string; files: string[] }> {
  const candidates = (await backups(ws)).filter((b) => b.kind === 'reset' && (name === undefined || b.exercise === name));
  const latest = candidates.at(-1);
  if (!latest) {
    throw new UserError(name ? `There is no reset of ${name} to undo.` : 'There is no reset to undo.', {
      next: 'Backups are kept in .async-lessons/backups/ each time you reset an exercise.',
      code: 'NO_BACKUP',
    });
  }
  const exercise = loaded.course.exercises.find((e) => e.name === latest.exercise);
  if (exercise) await backup(ws, exercise, 'undo');
  for (const rel of latest.files) await copyInto(path.join(latest.dir, 'files', rel), path.join(ws.exercisesDir, rel));
  await rm(latest.dir, { recursive: true, force: true });
  return { exercise: latest.exercise, files: latest.files };
}

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

/** A one-line notice, given once per newer version, when the course is newer than the workspace. */
export async function updateNotice(ws: Workspace, loaded: LoadedCourse): Promise<string | undefined> {
  const newer = compareVersions(loaded.id.version, ws.meta.version) > 0;
  if (!newer || ws.meta.announced === loaded.id.version) return undefined;
  await writeFileAtomic(metaFile(ws.root), `${JSON.stringify({ ...ws.meta, announced: loaded.id.version }, null, 2)}\n`);
  return `The course is now version ${loaded.id.version} (this workspace has ${ws.meta.version}). Run \`async-lessons update\` to add new exercises and refresh the check files; your own files are never touched.`;
}

/** Adds new exercises and refreshes every non-learner file; learner files that exist are never touched. */
export async function updateWorkspace(ws: Workspace, loaded: LoadedCourse): Promise<UpdateResult> {
  const learner = new Set(loaded.course.exercises.flatMap((e) => e.learnerFiles));
  const result: UpdateResult = { added: [], refreshed: [] };
  for (const rel of await listFiles(path.join(loaded.root, 'exercises'))) {
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
  await copyHarnessTypes(ws.root);
  await writeFileAtomic(metaFile(ws.root), `${JSON.stringify({ ...ws.meta, name: loaded.id.name, version: loaded.id.version, announced: undefined }, null, 2)}\n`);
  return result;
}

