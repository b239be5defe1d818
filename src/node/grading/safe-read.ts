import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import path from 'node:path';

/*
 * Reading a file out of a submission without trusting it: a submission is a folder someone else
 * made, so any part of a path may be a symbolic link to a file of the instructor's (or a sibling
 * submission's). Every component is lstat-ed, and the file itself is opened with O_NOFOLLOW, so a
 * link swapped in after the check is refused too.
 */

/** Big enough for any exercise file; small enough that a submission cannot fill the grader's memory. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type ReadResult = { kind: 'file'; content: Buffer } | { kind: 'missing' } | { kind: 'refused'; reason: string };

/** `rel` (`/`-separated, inside `root`), read without following any link. */
export async function readNoFollow(root: string, rel: string): Promise<ReadResult> {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const info = await lstat(path.join(root, sub)).catch((e: NodeJS.ErrnoException) => e);
    if (info instanceof Error) return info.code === 'ENOENT' || info.code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'refused', reason: `${sub} cannot be read (${info.code})` };
    if (info.isSymbolicLink()) return { kind: 'refused', reason: `${sub} is a symbolic link; links are not followed` };
    if (!info.isDirectory()) return { kind: 'missing' };
  }
  let handle;
  try {
    handle = await open(path.join(root, rel), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'refused', reason: `${rel} is a symbolic link; links are not followed` };
    return { kind: 'refused', reason: `${rel} cannot be read (${code})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'refused', reason: `${rel} is not a plain file` };
    if (info.size > MAX_FILE_BYTES) return { kind: 'refused', reason: `${rel} is larger than ${MAX_FILE_BYTES / 1024} KB` };
    return { kind: 'file', content: await handle.readFile() };
  } finally {
    await handle.close();
  }
}
