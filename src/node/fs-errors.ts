import path from 'node:path';
import { UserError } from '../core/errors.js';

/*
 * A place the learner cannot write (or read) is their machine's state, not our bug: a
 * `.async-lessons/` left owned by root by an earlier `sudo npx async-lessons`, a read-only mount,
 * a folder on a locked network drive. Each becomes a UserError that names the path and the fix.
 */

const CODES = new Set(['EACCES', 'EPERM', 'EROFS']);
const ATOMIC_TMP = /\.\d+\.[0-9a-f]+\.tmp$/;
/** A path as a shell word: quoted only when it needs to be. */
const shellWord = (p: string) => (/^[\w./~@+-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

/** True for a file-system error that says "not allowed here" (as opposed to "not there"). */
export function isAccessError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && CODES.has(code);
}

/**
 * The learner-facing error for an access error, or undefined for any other error. `root` is the
 * folder to give back (the workspace), `cwd` makes paths short.
 */
export function accessUserError(error: unknown, options: { cwd: string; root?: string }): UserError | undefined {
  if (!isAccessError(error)) return undefined;
  const raw = error.path ?? (error as { dest?: string }).dest;
  // writeFileAtomic writes `<file>.<pid>.<random>.tmp` first: the learner knows only <file>.
  const atomic = raw !== undefined && ATOMIC_TMP.test(raw);
  const where = atomic ? raw.replace(ATOMIC_TMP, '') : raw;
  const show = (p: string) => {
    const rel = path.relative(options.cwd, p);
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
  };
  const place = where === undefined ? 'a file it needs' : show(where);
  const syscall = error.syscall ?? '';
  const verb = atomic ? 'write' : /^(scandir|stat|lstat|readlink|access|read)$/.test(syscall) ? 'read' : syscall === 'open' ? 'open' : 'write';
  if (error.code === 'EROFS') {
    return new UserError(`async-lessons cannot write ${place}: it is on a read-only file system.`, {
      next: 'Work in a writable folder: copy the workspace there (`cp -r <workspace> ~/async-lessons`) or set up a new one with `async-lessons init ~/async-lessons`.',
      code: 'READ_ONLY',
    });
  }
  const fix = options.root ?? (where === undefined ? undefined : ownerFolder(where));
  return new UserError(`async-lessons cannot ${verb} ${place}: permission denied (it may belong to another user, e.g. made by an earlier \`sudo\`).`, {
    next: fix === undefined ? 'Give the files back to yourself with `sudo chown -R $USER <folder>`.' : `Give the files back to yourself: \`sudo chown -R $USER ${shellWord(show(fix))}\`, then run the command again.`,
    code: 'NO_ACCESS',
  });
}

/** The folder to give back: the workspace around a `.async-lessons/` path, else the file's folder. */
function ownerFolder(p: string): string {
  const parts = p.split(path.sep);
  const state = parts.lastIndexOf('.async-lessons');
  return state > 0 ? parts.slice(0, state).join(path.sep) || path.sep : path.dirname(p);
}
