import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, lstat, copyFile, rm, readdir } from 'node:fs/promises';
import path from 'node:path';

export async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes via a temp file in the same folder and a rename, so a crash never leaves half a file. */
export async function writeFileAtomic(file: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export async function copyInto(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await copyFile(from, to);
}

export const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

export async function hashFile(file: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(file));
  } catch {
    return undefined;
  }
}

/** `2026-11-27T00-19-50-123Z`: an ISO time that is safe in a file name on every platform. */
export const stamp = (date = new Date()): string => date.toISOString().replace(/[:.]/g, '-');


/** Every file below `dir`, as `/`-separated paths relative to it ([] if `dir` does not exist). */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries.filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'));
  } catch {
    return [];
  }
}

