/*
 * Which archive entries may be written, decided from their names alone (no IO): an archive is
 * someone else's file, and its entry names and link targets are whatever its maker typed.
 * Backslashes count as separators, as Windows tools write and read them.
 */

/** Suffixes grading reads as archives, longest first; what is left of the name is the student id. */
export const ARCHIVE_SUFFIXES = ['.tar.gz', '.tgz', '.tar', '.zip'] as const;

export function archiveStem(name: string): { stem: string; format: 'zip' | 'tar' } | undefined {
  const lower = name.toLowerCase();
  const suffix = ARCHIVE_SUFFIXES.find((s) => lower.endsWith(s) && lower.length > s.length);
  if (!suffix) return undefined;
  return { stem: name.slice(0, -suffix.length), format: suffix === '.zip' ? 'zip' : 'tar' };
}

const segments = (name: string) => name.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');

/**
 * An entry's path inside the target (`/`-separated), or why it may not be written. `a/../b` stays
 * inside, but no honest tool writes it, so any `..` is refused rather than resolved.
 */
export function entryPath(name: string): { rel: string } | { refused: string } {
  if (name.includes('\0')) return { refused: `entry "${name.replace(/\0/g, '\\0')}" has a NUL character in its name` };
  if (/^([\\/]|[A-Za-z]:)/.test(name)) return { refused: `entry "${name}" is an absolute path, which would be written outside the submission` };
  const parts = segments(name);
  if (parts.includes('..')) return { refused: `entry "${name}" climbs out with "..", which would be written outside the submission` };
  return { rel: parts.join('/') };
}

/**
 * Whether a symbolic link at `rel` pointing to `target` stays inside the target folder, read
 * lexically. Links are never followed by grading (a file reached through one is refused), so this
 * decides only whether the archive is refused outright for aiming outside.
 */
export function linkStaysInside(rel: string, target: string): boolean {
  if (target === '' || /^([\\/]|[A-Za-z]:)/.test(target)) return false;
  const at = segments(rel).slice(0, -1);
  for (const part of segments(target)) {
    if (part !== '..') at.push(part);
    else if (at.pop() === undefined) return false;
  }
  return true;
}

/** Folders archivers add beside the content: never a submission. */
export const isArchiveNoise = (name: string) => name.startsWith('.') || name === '__MACOSX';
