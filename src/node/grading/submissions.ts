import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { studentIds } from '../../core/grading.js';
import { STATE_DIR } from '../workspace.js';
import { archiveStem, isArchiveNoise } from './archive-paths.js';
import { ARCHIVE_LIMITS, extractArchive, type ArchiveLimits } from './extract.js';

/** One student's submission: a folder to grade, or the reason it cannot be. */
export interface Submission {
  id: string;
  dir: string;
  problem?: string;
  /** The problem is a refusal (an unsafe archive), not a mere absence of a workspace. */
  refused?: boolean;
}

export interface FindOptions {
  /** Where archives are unpacked (one fresh folder each); without it, archives are rows with a reason. */
  extractDir?: string;
  limits?: ArchiveLimits;
}

type Found = { name: string; path: string; problem?: string; refused?: boolean };

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

class Finder {
  private archives = 0;
  constructor(private readonly options: FindOptions) {}

  /** A path given on the command line (or found in a class folder): a folder or an archive. */
  async one(dir: string, name: string): Promise<Found[]> {
    const info = await lstat(dir).catch((e: NodeJS.ErrnoException) => e);
    if (info instanceof Error) return [{ name, path: dir, problem: `${dir}: ${errorText(info)}` }];
    if (info.isSymbolicLink()) return [{ name, path: dir, problem: `${dir} is a symbolic link; links are not followed` }];
    const archive = archiveStem(name);
    if (info.isFile() && archive) return this.archive(dir, archive.stem, archive.format);
    if (!info.isDirectory()) return [{ name, path: dir, problem: `${dir} is neither a folder nor an archive (.zip, .tar.gz, .tgz, .tar)` }];
    return [{ name, path: dir }];
  }

  /**
   * An archive is one workspace (at its root or in its single top folder; the student id is the
   * archive's name) or a class (each top folder, or each folder in its single top folder, a
   * student). Messages name the archive and the folder inside it, never the temp folder.
   */
  private async archive(file: string, stem: string, format: 'zip' | 'tar'): Promise<Found[]> {
    if (!this.options.extractDir) return [{ name: stem, path: file, problem: `${file} is an archive, and archives are not unpacked here` }];
    const to = path.join(this.options.extractDir, `a${this.archives++}`);
    const done = await extractArchive(file, format, to, this.options.limits ?? ARCHIVE_LIMITS);
    if (!done.ok) return [{ name: stem, path: file, problem: `${file} was refused: ${done.reason}`, refused: true }];
    if (await isWorkspace(to)) return [{ name: stem, path: to }];
    const tops = (await readdir(to, { withFileTypes: true })).filter((d) => !isArchiveNoise(d.name));
    if (tops.length === 1 && tops[0]!.isDirectory()) {
      const only = path.join(to, tops[0]!.name);
      if (await isWorkspace(only)) return [{ name: stem, path: only }];
      return this.members(only, `${file}/${tops[0]!.name}`, stem);
    }
    return this.members(to, file, stem);
  }

  /** A class folder's students: its sub-folders (hidden ones skipped) and, outside archives, its archives. */
  async members(dir: string, label: string, name: string, inArchive = true): Promise<Found[]> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      return [{ name, path: dir, problem: `${label}: ${errorText(error as NodeJS.ErrnoException)}` }];
    }
    const subs = entries.filter((d) => !isArchiveNoise(d.name) && (d.isDirectory() || d.isSymbolicLink() || (d.isFile() && archiveStem(d.name))));
    if (subs.length === 0) return [{ name, path: dir, problem: `${label} is neither a workspace nor a folder of workspaces` }];
    const found: Found[] = [];
    for (const d of subs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const at = path.join(dir, d.name);
      const shown = `${label}/${d.name}`;
      const subFound = inArchive ? await this.inside(at, d.name, shown) : await this.one(at, d.name);
      for (const sub of subFound) {
        if (!sub.problem && !(await isWorkspace(sub.path))) sub.problem = `${inArchive ? shown : sub.path} is not a workspace (it has no exercises/ folder)`;
        found.push(sub);
      }
    }
    return found;
  }

  /** A folder inside an unpacked archive (named for messages as the archive and its path inside). */
  private async inside(at: string, name: string, shown: string): Promise<Found[]> {
    const info = await lstat(at);
    if (info.isSymbolicLink()) return [{ name, path: at, problem: `${shown} is a symbolic link; links are not followed` }];
    // One level of archives keeps the limits meaningful: a bomb cannot hide in a nest of them.
    const nested = info.isFile() ? archiveStem(name) : undefined;
    if (nested) return [{ name: nested.stem, path: at, problem: `${shown} is an archive inside an archive, which is not unpacked: unpack the outer one and grade its folder` }];
    return [{ name, path: at }];
  }
}

/**
 * Each path is a workspace (one student), an archive of one or of a class, or a class folder
 * (each sub-folder or archive one student; hidden folders skipped). Whatever cannot be graded
 * stays as a row with its reason: a stray folder in a class, an unreadable one, a path that does
 * not exist, an archive refused. Ids are folder or archive names; order is by id.
 */
export async function findSubmissions(paths: readonly string[], cwd: string, options: FindOptions = {}): Promise<Submission[]> {
  const finder = new Finder(options);
  const found: Found[] = [];
  for (const p of paths) {
    const dir = path.resolve(cwd, p);
    const name = path.basename(dir);
    const top = await finder.one(dir, name);
    if (top.length !== 1 || top[0]!.problem || top[0]!.path !== dir || (await isWorkspace(dir))) found.push(...top);
    else found.push(...(await finder.members(dir, dir, name, false)));
  }
  const byPath = new Map(found.map((f) => [f.path, f]));
  return studentIds(found).map(({ id, path: dir }): Submission => {
    const f = byPath.get(dir)!;
    return { id, dir, ...(f.problem ? { problem: f.problem } : {}), ...(f.refused ? { refused: true } : {}) };
  });
}
