import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, parseCourse, type Problem } from '../core/course-parse.js';
import type { Course, Exercise } from '../core/course-schema.js';
import { UserError } from '../core/errors.js';
import { exists } from './fs-utils.js';
import { packageInfo } from './package-root.js';

/** A course on disk: its folder (holding info.toml, exercises/, solutions/) and its manifest. */
export interface LoadedCourse {
  root: string;
  course: Course;
  /** Name and version shown to learners; the built-in course takes the package's. */
  id: { name: string; version: string };
  builtin: boolean;
}

export const builtinCourseRoot = (): string => packageInfo().root;

export async function loadCourse(root: string): Promise<LoadedCourse> {
  const file = path.join(root, 'info.toml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`No course found: ${file} is missing or unreadable.`, {
      next: 'Point --course at a folder holding info.toml, exercises/ and solutions/, or run `async-lessons dev new <dir>` to start one.',
    });
  }
  const result = parseCourse(text);
  if (!result.ok) {
    const lines = result.problems.map((p) => `  ${formatProblem(p)}`).join('\n');
    throw new UserError(
      result.tooNew ? `${file} is newer than this async-lessons:\n${lines}` : `${file} has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:\n${lines}`,
      { next: result.tooNew ? 'Update async-lessons, then try again.' : 'Fix the lines above in info.toml, then run the command again.', code: 'BAD_COURSE' },
    );
  }
  const builtin = path.resolve(root) === path.resolve(builtinCourseRoot());
  const pkg = packageInfo();
  return {
    root: path.resolve(root),
    course: result.course,
    builtin,
    id: {
      name: result.course.name ?? (builtin ? 'async-lessons' : path.basename(path.resolve(root))),
      version: result.course.version ?? (builtin ? pkg.version : '0.0.0'),
    },
  };
}

export function findExercise(course: Course, name: string): Exercise {
  const found = course.exercises.find((e) => e.name === name);
  if (found) return found;
  const close = course.exercises.filter((e) => e.name.includes(name) || name.includes(e.name)).map((e) => e.name);
  throw new UserError(`There is no exercise named "${name}".`, {
    next: close.length > 0 ? `Did you mean ${close.slice(0, 3).join(', ')}? \`async-lessons list\` shows them all.` : 'Run `async-lessons list` to see every exercise name.',
    code: 'NO_SUCH_EXERCISE',
  });
}

const isCheckName = (f: string) => /\.(test|types)\.tsx?$/.test(f);

/**
 * Do the manifest and the files on disk agree, both ways? Every listed file must exist (a solution
 * for each exercise too), and every exercise-looking .ts file under exercises/ must be listed.
 */
export async function courseFileProblems(loaded: LoadedCourse): Promise<Problem[]> {
  const { root, course } = loaded;
  const problems: Problem[] = [];
  const listed = new Set<string>();
  for (const e of course.exercises) {
    const need: Array<[string, string]> = [
      ...e.learnerFiles.map((f): [string, string] => [f, 'files']),
      ...e.checkFiles.map((f): [string, string] => [f, 'checks']),
    ];
    if (e.kind !== 'types') need.push([e.testFile, 'test file']);
    for (const [f, field] of need) {
      listed.add(f);
      if (!(await exists(path.join(root, 'exercises', f)))) problems.push({ exercise: e.name, field, message: `exercises/${f} is missing on disk` });
    }
    listed.add(e.testFile);
    for (const f of e.learnerFiles) {
      if (!(await exists(path.join(root, 'solutions', f)))) problems.push({ exercise: e.name, field: 'solution', message: `solutions/${f} is missing on disk` });
    }
  }
  for (const f of await listTopicFiles(path.join(root, 'exercises'))) {
    if (listed.has(f) || !/\.(ts|tsx|mts)$/.test(f)) continue;
    problems.push({
      exercise: path.basename(f).replace(/\.[^.]+$/, '').replace(/\.(test|types)$/, ''),
      field: 'manifest',
      message: `exercises/${f} is on disk but no exercise in info.toml lists it${isCheckName(f) ? ' (an orphan check file)' : ''}`,
    });
  }
  return problems;
}

/** Files under exercises/<topic>/ (not in `_shared` folders), as `topic/rel/path`. */
async function listTopicFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .filter((rel) => rel.includes('/') && !rel.startsWith('_'));
}
