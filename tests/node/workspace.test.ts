import { readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import { courseFileProblems, loadCourse } from '../../src/node/course-loader.js';
import { formatProblem } from '../../src/core/course-parse.js';
import { exists } from '../../src/node/fs-utils.js';
import { findWorkspace, initWorkspace } from '../../src/node/workspace.js';
import { resetExercise, undoReset, updateNotice, updateWorkspace } from '../../src/node/workspace-ops.js';
import { copyOfMiniCourse, miniCourse, tempDir } from '../helpers.js';

describe('courseFileProblems', () => {
  test('reports files missing on disk and files on disk not in the manifest', async () => {
    const problems = (await courseFileProblems(await loadCourse(miniCourse))).map(formatProblem);
    expect(problems).toContain('exercise missing_on_disk: files: exercises/03_crashes/missing_on_disk.ts is missing on disk');
    expect(problems).toContain('exercise missing_on_disk: solution: solutions/03_crashes/missing_on_disk.ts is missing on disk');
    expect(problems.some((p) => p.startsWith('exercise not_in_manifest: manifest: exercises/03_crashes/not_in_manifest.ts is on disk'))).toBe(true);
    expect(problems).toHaveLength(5);
  });
});

describe('initWorkspace', () => {
  test('writes exercises, checks, lessons, placeholders, configs and remembers the course', async () => {
    const loaded = await loadCourse(miniCourse);
    const dir = await tempDir();
    const ws = await initWorkspace(dir, loaded);
    for (const f of ['exercises/01_basics/fails.ts', 'exercises/01_basics/fails.test.ts', 'exercises/01_basics/README.md', 'exercises/_lib/math.ts', 'package.json', 'tsconfig.json', '.gitignore', '.async-lessons/types/harness/index.d.ts']) {
      expect(await exists(path.join(dir, f)), f).toBe(true);
    }
    expect(await readFile(path.join(dir, 'solutions/01_basics/fails.ts'), 'utf8')).toMatch(/appears here once/);
    expect(ws.meta.course).toEqual({ path: miniCourse });
    expect((await findWorkspace(path.join(dir, 'exercises', '01_basics')))?.root).toBe(dir);
  });

  test('refuses to overwrite anything, and writes nothing when it refuses', async () => {
    const loaded = await loadCourse(miniCourse);
    const dir = await tempDir();
    await mkdir(path.join(dir, 'exercises/01_basics'), { recursive: true });
    await writeFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'mine');
    const error = await initWorkspace(dir, loaded).catch((e: unknown) => e);
    expect(isUserError(error) && error.message).toMatch(/would overwrite 1 existing file: exercises\/01_basics\/fails.ts/);
    expect(await readFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'utf8')).toBe('mine');
    expect(await exists(path.join(dir, '.async-lessons'))).toBe(false);
  });

  test('refuses an existing workspace', async () => {
    const loaded = await loadCourse(miniCourse);
    const dir = await tempDir();
    await initWorkspace(dir, loaded);
    await expect(initWorkspace(dir, loaded)).rejects.toThrow(/already an async-lessons workspace/);
  });
});

describe('reset and undo-reset', () => {
  test('reset restores the starting file and keeps a backup that undo brings back', async () => {
    const loaded = await loadCourse(miniCourse);
    const dir = await tempDir();
    const ws = await initWorkspace(dir, loaded);
    const file = path.join(dir, 'exercises/01_basics/fails.ts');
    const pristine = await readFile(file, 'utf8');
    await writeFile(file, 'my attempt');
    await rm(path.join(dir, 'exercises/01_basics/fails.test.ts'));
    const exercise = loaded.course.exercises.find((e) => e.name === 'fails')!;
    await resetExercise(ws, loaded, exercise);
    expect(await readFile(file, 'utf8')).toBe(pristine);
    expect(await exists(path.join(dir, 'exercises/01_basics/fails.test.ts'))).toBe(true);
    const undone = await undoReset(ws, loaded, 'fails');
    expect(undone).toEqual({ exercise: 'fails', files: ['01_basics/fails.ts'] });
    expect(await readFile(file, 'utf8')).toBe('my attempt');
    await expect(undoReset(ws, loaded, 'fails')).rejects.toThrow(/no reset of fails to undo/);
  });
});

describe('update', () => {
  test('a newer course is announced once; update adds exercises and refreshes checks, never learner files', async () => {
    const courseDir = await copyOfMiniCourse();
    const dir = await tempDir();
    const ws = await initWorkspace(dir, await loadCourse(courseDir));
    await writeFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'my attempt');
    await writeFile(path.join(dir, 'exercises/01_basics/fails.test.ts'), 'edited check');

    const toml = await readFile(path.join(courseDir, 'info.toml'), 'utf8');
    await writeFile(
      path.join(courseDir, 'info.toml'),
      `${toml.replace('version = "1.0.0"', 'version = "1.1.0"')}\n[[exercises]]\nname = "brand_new"\ndir = "04_new"\nhint = "h"\n`,
    );
    await mkdir(path.join(courseDir, 'exercises/04_new'), { recursive: true });
    await writeFile(path.join(courseDir, 'exercises/04_new/brand_new.ts'), '// TODO\nexport {};\n');
    await writeFile(path.join(courseDir, 'exercises/04_new/brand_new.test.ts'), 'test');
    const newer = await loadCourse(courseDir);

    expect(await updateNotice(ws, newer)).toMatch(/now version 1.1.0 \(this workspace has 1.0.0\)/);
    const again = (await findWorkspace(dir))!;
    expect(await updateNotice(again, newer)).toBeUndefined();

    const result = await updateWorkspace(again, newer);
    expect(result.added).toEqual(expect.arrayContaining(['exercises/04_new/brand_new.ts', 'exercises/04_new/brand_new.test.ts']));
    expect(result.refreshed).toEqual(['exercises/01_basics/fails.test.ts']);
    expect(await readFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'utf8')).toBe('my attempt');
    expect((await findWorkspace(dir))!.meta.version).toBe('1.1.0');
  });
});
