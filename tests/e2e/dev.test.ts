import { readFile, writeFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { cli, copyOfMiniCourse, tempDir } from '../helpers.js';

test('dev new scaffolds a course that dev check proves, writing the lock file', async () => {
  const dir = await tempDir();
  const made = await cli(['dev', 'new', 'my-course'], { cwd: dir });
  expect(made.code, made.all).toBe(0);
  const course = path.join(dir, 'my-course');
  const checked = await cli(['dev', 'check'], { cwd: course });
  expect(checked.code, checked.all).toBe(0);
  expect(checked.stdout).toMatch(/✓ 1 exercise proven \(3 runs\)\. Wrote course\.lock\.json\./);
  const lock = JSON.parse(await readFile(path.join(course, 'course.lock.json'), 'utf8'));
  expect(lock.exercises.double.tests).toEqual(['doubles a positive number', 'doubles a negative number']);
  expect(Object.keys(lock.exercises.double.files)).toEqual(
    expect.arrayContaining(['exercises/01_example/double.test.ts', 'exercises/01_example/double.ts']),
  );
  // A second scaffold into a non-empty folder is refused.
  expect((await cli(['dev', 'new', 'my-course'], { cwd: dir })).code).toBe(2);
});

test('dev check fails, naming the exercise, when one passes unmodified', async () => {
  const dir = await tempDir();
  await cli(['dev', 'new', 'c'], { cwd: dir });
  const course = path.join(dir, 'c');
  await cp(path.join(course, 'solutions/01_example/double.ts'), path.join(course, 'exercises/01_example/double.ts'));
  await writeFile(path.join(course, 'exercises/01_example/double.ts'), `// TODO: nothing\n${await readFile(path.join(course, 'exercises/01_example/double.ts'), 'utf8')}`);
  const r = await cli(['dev', 'check', '--course', course], { cwd: dir });
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/exercise double: checks: passes unmodified/);
});

test('dev check fails when a wrong answer is accepted or rejected for another reason', async () => {
  const dir = await tempDir();
  await cli(['dev', 'new', 'c'], { cwd: dir });
  const course = path.join(dir, 'c');
  await writeFile(
    path.join(course, 'wrong-answers/double/accepted.ts'),
    '// @rejects doubles a negative number\n// Actually right.\nexport async function double(n: number) { return n + n; }\n',
  );
  await writeFile(
    path.join(course, 'wrong-answers/double/other_reason.ts'),
    '// @rejects doubles a positive number\n// Only wrong for negatives.\nexport async function double(n: number) { return Math.abs(n) * 2; }\n',
  );
  const r = await cli(['dev', 'check', '--course', course], { cwd: dir });
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/exercise double: wrong-answers\/double\/accepted: it was accepted/);
  expect(r.stdout).toMatch(/exercise double: wrong-answers\/double\/other_reason: rejected for another reason \(wanted "doubles a positive number"; failing tests: "doubles a negative number"\)/);
});

test('dev check on the mini course reports missing files, unlisted files and hints in one go', async () => {
  const course = await copyOfMiniCourse();
  const r = await cli(['dev', 'check', '--no-lock'], { cwd: course });
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/exercise missing_on_disk: files: exercises\/03_crashes\/missing_on_disk\.ts is missing on disk/);
  expect(r.stdout).toMatch(/exercise not_in_manifest: manifest: exercises\/03_crashes\/not_in_manifest\.ts is on disk but no exercise in info\.toml lists it/);
  // Everything else in the mini course holds: unsolved fail, solutions pass, the wrong answer is rejected.
  expect(r.stdout.split('\n').filter((l) => l.startsWith('✗'))).toHaveLength(5);
});
