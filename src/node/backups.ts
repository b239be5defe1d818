// Reset and its undo: every reset keeps what it replaced in .async-lessons/backups/, one folder per
// exercise, or one folder for a whole `reset --all`, so that one undo brings back one action.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Exercise } from '../core/course-schema.js';
import { UserError } from '../core/errors.js';
import type { LoadedCourse } from './course-loader.js';
import { copyInto, exists, stamp, writeFileAtomic } from './fs-utils.js';
import type { Workspace } from './workspace.js';

export const backupsDir = (ws: Workspace) => path.join(ws.stateDir, 'backups');

export interface BackupInfo {
  exercise: string;
  at: string;
  files: string[];
  /**
   * Backups taken by undo-reset itself, so an undo can be undone by hand but is never picked.
   * A `reset --all` (and the undo of one) is one folder holding one backup per exercise, so
   * `undo-reset --all` finds everything it replaced in one place.
   */
  kind: 'reset' | 'undo' | 'course-library' | 'reset-all' | 'undo-all';
}

type Found = BackupInfo & { dir: string; group?: string };

async function backup(ws: Workspace, exercise: Exercise, kind: BackupInfo['kind'], into?: string): Promise<string> {
  const dir = into ? path.join(into, exercise.name) : path.join(backupsDir(ws), `${stamp()}-${exercise.name}${kind === 'undo' ? '-before-undo' : ''}`);
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

async function writeGroupInfo(dir: string, kind: 'reset-all' | 'undo-all', files: string[]): Promise<void> {
  const info: BackupInfo = { exercise: '(every exercise)', at: new Date().toISOString(), files, kind };
  await writeFileAtomic(path.join(dir, 'backup.json'), `${JSON.stringify(info, null, 2)}\n`);
}

/** Restores an exercise's pristine files (learner files and its checks), keeping a backup first. */
export async function resetExercise(ws: Workspace, loaded: LoadedCourse, exercise: Exercise, into?: string): Promise<string> {
  const saved = await backup(ws, exercise, 'reset', into);
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

/** Every exercise back to its starting files; what they replaced is kept in one backup folder. */
export async function resetAll(ws: Workspace, loaded: LoadedCourse): Promise<{ dir: string; files: string[] }> {
  const dir = path.join(backupsDir(ws), `${stamp()}-all`);
  const files: string[] = [];
  for (const e of loaded.course.exercises) {
    const saved = await resetExercise(ws, loaded, e, dir);
    files.push(...(await backups(ws, saved)).flatMap((b) => b.files));
  }
  await writeGroupInfo(dir, 'reset-all', files);
  return { dir, files };
}

async function readInfo(dir: string): Promise<BackupInfo | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'backup.json'), 'utf8')) as BackupInfo;
  } catch {
    return undefined; // Not one of ours, or damaged: leave it alone.
  }
}

/** The backups, oldest first; a group's own entry comes after its exercises'. One folder if `only`. */
async function backups(ws: Workspace, only?: string): Promise<Found[]> {
  if (only) {
    const info = await readInfo(only);
    return info ? [{ ...info, dir: only }] : [];
  }
  let names: string[];
  try {
    names = (await readdir(backupsDir(ws))).sort();
  } catch {
    return [];
  }
  const out: Found[] = [];
  for (const n of names) {
    const dir = path.join(backupsDir(ws), n);
    const info = await readInfo(dir);
    if (!info) continue;
    if (info.kind === 'reset-all' || info.kind === 'undo-all') {
      for (const child of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
        const inner = await readInfo(path.join(dir, child));
        if (inner) out.push({ ...inner, dir: path.join(dir, child), group: dir });
      }
    }
    out.push({ ...info, dir });
  }
  return out;
}

async function restore(ws: Workspace, b: Found): Promise<void> {
  for (const rel of b.files) await copyInto(path.join(b.dir, 'files', rel), path.join(ws.exercisesDir, rel));
  await rm(b.dir, { recursive: true, force: true });
  // A group emptied by single undos goes too, so `undo-reset --all` never finds half of one.
  if (b.group && (await readdir(b.group)).every((n) => n === 'backup.json')) await rm(b.group, { recursive: true, force: true });
}

export interface Undone {
  exercise: string;
  files: string[];
  /** The backup folder the files came from (now removed). */
  from: string;
  /** Where the files they replaced were kept, in case the undo itself was a mistake. */
  kept: string | undefined;
}

/**
 * Brings back the newest reset backup (of `name`, if given); without a name, the newest reset
 * whole, so right after a `reset --all` it is the same as undoResetAll. The files it replaces are
 * backed up too.
 */
export async function undoReset(ws: Workspace, loaded: LoadedCourse, name: string | undefined): Promise<Undone> {
  const all = await backups(ws);
  const latest = name === undefined ? all.filter((b) => !b.group && (b.kind === 'reset' || b.kind === 'reset-all')).at(-1) : all.filter((b) => b.kind === 'reset' && b.exercise === name).at(-1);
  if (!latest) {
    throw new UserError(name ? `There is no reset of ${name} to undo.` : 'There is no reset to undo.', {
      next: 'Backups are kept in .async-lessons/backups/ each time you reset an exercise.',
      code: 'NO_BACKUP',
    });
  }
  if (latest.kind === 'reset-all') return undoGroup(ws, loaded, latest, all);
  const exercise = loaded.course.exercises.find((e) => e.name === latest.exercise);
  const kept = exercise ? await backup(ws, exercise, 'undo') : undefined;
  await restore(ws, latest);
  return { exercise: latest.exercise, files: latest.files, from: latest.dir, kept };
}

/** Brings back everything the newest `reset --all` replaced, in one call. */
export async function undoResetAll(ws: Workspace, loaded: LoadedCourse): Promise<Undone> {
  const all = await backups(ws);
  const latest = all.filter((b) => b.kind === 'reset-all').at(-1);
  if (!latest) {
    throw new UserError('There is no `reset --all` to undo.', {
      next: 'Run `async-lessons undo-reset` (or `undo-reset <name>`) to undo the reset of one exercise.',
      code: 'NO_BACKUP',
    });
  }
  return undoGroup(ws, loaded, latest, all);
}

async function undoGroup(ws: Workspace, loaded: LoadedCourse, group: Found, all: Found[]): Promise<Undone> {
  const members = all.filter((b) => b.group === group.dir);
  const kept = path.join(backupsDir(ws), `${stamp()}-all-before-undo`);
  const keptFiles: string[] = [];
  for (const m of members) {
    const exercise = loaded.course.exercises.find((e) => e.name === m.exercise);
    if (exercise) keptFiles.push(...(await backups(ws, await backup(ws, exercise, 'undo', kept))).flatMap((b) => b.files));
  }
  await writeGroupInfo(kept, 'undo-all', keptFiles);
  for (const m of members) await restore(ws, m);
  await rm(group.dir, { recursive: true, force: true });
  return { exercise: 'every exercise', files: members.flatMap((m) => m.files), from: group.dir, kept };
}
