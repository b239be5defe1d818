import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { studentIds } from '../../core/grading.js';
import { STATE_DIR } from '../workspace.js';

/** One student's submission: a folder to grade, or the reason it cannot be. */
export interface Submission {
  id: string;
  dir: string;
  problem?: string;
}

type Found = { name: string; path: string; problem?: string };

const errorText = (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? 'no such folder' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.code ?? e.message));

/**
 * A workspace is a folder holding `exercises/` or `.async-lessons/` (what `init` makes); the
 * progress and metadata inside are never read: nothing in them is trusted.
 */
async function isWorkspace(dir: string): Promise<boolean> {
  for (const marker of ['exercises', STATE_DIR]) {
    const info = await lstat(path.join(dir, marker)).catch(() => undefined);
    if (info && (info.isDirectory() || info.isSymbolicLink())) return true;
  }
  return false;
}

async function one(dir: string, name: string): Promise<Found> {
  const info = await lstat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) return { name, path: dir, problem: `${dir}: ${errorText(info)}` };
  if (info.isSymbolicLink()) return { name, path: dir, problem: `${dir} is a symbolic link; links are not followed` };
  if (!info.isDirectory()) return { name, path: dir, problem: `${dir} is not a folder (archives are not supported yet)` };
  return { name, path: dir };
}

/**
 * Each path is a workspace (one student) or a class folder (each sub-folder one student; hidden
 * folders skipped). Whatever cannot be graded stays as a row with its reason: a stray folder in a
 * class, an unreadable one, a path that does not exist. Ids are folder names; order is by id.
 */
export async function findSubmissions(paths: readonly string[], cwd: string): Promise<Submission[]> {
  const found: Found[] = [];
  for (const p of paths) {
    const dir = path.resolve(cwd, p);
    const name = path.basename(dir);
    const top = await one(dir, name);
    if (top.problem || (await isWorkspace(dir))) {
      found.push(top);
      continue;
    }
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      found.push({ name, path: dir, problem: `${dir}: ${errorText(error as NodeJS.ErrnoException)}` });
      continue;
    }
    const subs = entries.filter((d) => !d.name.startsWith('.') && (d.isDirectory() || d.isSymbolicLink()));
    if (subs.length === 0) {
      found.push({ name, path: dir, problem: `${dir} is neither a workspace nor a folder of workspaces` });
      continue;
    }
    for (const d of subs) {
      const sub = await one(path.join(dir, d.name), d.name);
      if (!sub.problem && !(await isWorkspace(sub.path))) sub.problem = `${sub.path} is not a workspace (it has no exercises/ folder)`;
      found.push(sub);
    }
  }
  const problems = new Map(found.map((f) => [f.path, f.problem]));
  return studentIds(found).map(({ id, path: dir }) => {
    const problem = problems.get(dir);
    return problem ? { id, dir, problem } : { id, dir };
  });
}
