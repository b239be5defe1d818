import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

// The scaffold's solution, as a patch's context sees it.
const ABS_PATCH = `--- a/double.ts
+++ b/double.ts
@@ -2,3 +2,3 @@
 export async function double(n: number): Promise<number> {
-  return n * 2;
+  return Math.abs(n) * 2;
 }
`;

test('dev check applies wrong answers stored as patches against the solution, and says when one no longer applies', async () => {
  const dir = await tempDir();
  await cli(['dev', 'new', 'c'], { cwd: dir });
  const course = path.join(dir, 'c');
  const wrong = (f: string) => path.join(course, 'wrong-answers/double', f);
  await writeFile(wrong('abs.patch'), `// @rejects doubles a negative number\n// Mistake: doubles the size, not the number.\n${ABS_PATCH}`);
  await writeFile(wrong('other_reason.patch'), `// @rejects doubles a positive number\n${ABS_PATCH}`);
  await writeFile(wrong('stale.patch'), `// @rejects doubles a negative number\n${ABS_PATCH.replace('-  return n * 2;', '-  return n + n;')}`);
  const r = await cli(['dev', 'check', '--course', course], { cwd: dir });
  expect(r.code, r.all).toBe(1);
  // The stale one is not run: 1 unsolved + 1 solution + hard_coded, abs, other_reason.
  expect(r.stdout).toMatch(/Checking 5 runs \(1 exercises, 3 wrong answers\)/);
  expect(r.stdout).toMatch(/exercise double: wrong-answers\/double\/stale\.patch: does not apply to solutions\/01_example\/double\.ts any more \(the solution changed\); refresh this wrong answer/);
  expect(r.stdout).toMatch(/exercise double: wrong-answers\/double\/other_reason: rejected for another reason \(wanted "doubles a positive number"; failing tests: "doubles a negative number"\)/);
  expect(r.stdout.split('\n').filter((l) => l.startsWith('✗'))).toHaveLength(2);
});

test('dev check --to-patches rewrites whole-file wrong answers as patches where shorter, proves them, and changes nothing the second time', async () => {
  const dir = await tempDir();
  await cli(['dev', 'new', 'c'], { cwd: dir });
  const course = path.join(dir, 'c');
  const helpers = Array.from({ length: 8 }, (_, i) => `export const k${i} = ${i};`).join('\n');
  await writeFile(path.join(course, 'solutions/01_example/double.ts'), `// Reference.\n\nexport async function double(n: number): Promise<number> {\n  return n * 2;\n}\n\n${helpers}\n`);
  await writeFile(
    path.join(course, 'wrong-answers/double/abs.ts'),
    `// @rejects doubles a negative number\n// Mistake: doubles the size.\nexport async function double(n: number): Promise<number> {\n  return Math.abs(n) * 2;\n}\n\n${helpers}\n`,
  );
  const r = await cli(['dev', 'check', '--to-patches', '--no-lock', '--course', course], { cwd: dir });
  expect(r.code, r.all).toBe(0);
  expect(r.stdout).toMatch(/wrong-answers\/double\/abs\.ts → \.patch \(14 → \d+ lines\)/);
  expect(r.stdout).toMatch(/1 wrong answer rewritten as patches \(14 → \d+ lines\); 1 kept whole\./);
  expect((await readdir(path.join(course, 'wrong-answers/double'))).sort()).toEqual(['abs.patch', 'hard_coded.ts']);
  expect(await readFile(path.join(course, 'wrong-answers/double/abs.patch'), 'utf8')).toMatch(/^\/\/ @rejects doubles a negative number\n\/\/ Mistake: doubles the size\.\n--- a\/double\.ts\n\+\+\+ b\/double\.ts\n/);
  const again = await cli(['dev', 'check', '--to-patches', '--no-lock', '--json', '--course', course], { cwd: dir });
  expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, conversion: { converted: [] } });
});

test('dev check --only runs just the named exercises (or topics) and refreshes only their lock entries', async () => {
  const dir = await tempDir();
  await cli(['dev', 'new', 'c'], { cwd: dir });
  const course = path.join(dir, 'c');
  expect((await cli(['dev', 'check'], { cwd: course })).code).toBe(0);
  const lockFile = path.join(course, 'course.lock.json');
  const lock = JSON.parse(await readFile(lockFile, 'utf8'));
  // A second exercise in a topic of its own, broken: its solution fails.
  const info = await readFile(path.join(course, 'info.toml'), 'utf8');
  await writeFile(path.join(course, 'info.toml'), `${info}\n[[exercises]]\nname = "triple"\ndir = "02_more"\nkind = "runtime"\nhint = "times three"\n`);
  for (const side of ['exercises', 'solutions']) await cp(path.join(course, side, '01_example'), path.join(course, side, '02_more'), { recursive: true });
  for (const side of ['exercises', 'solutions']) {
    for (const f of await readdir(path.join(course, side, '02_more'))) {
      if (f.startsWith('double')) await cp(path.join(course, side, '02_more', f), path.join(course, side, '02_more', f.replace('double', 'triple')));
      if (f.startsWith('double')) await rm(path.join(course, side, '02_more', f));
    }
  }
  const first = await cli(['dev', 'check', '--only', '01_example'], { cwd: course });
  expect(first.code, first.all).toBe(0);
  expect(first.stdout).toMatch(/✓ 1 exercise proven \(3 runs\)\. Updated their entries in course\.lock\.json\./);
  expect(JSON.parse(await readFile(lockFile, 'utf8'))).toEqual(lock);
  const other = await cli(['dev', 'check', '--only', 'triple'], { cwd: course });
  // triple's check file still imports ./double, so its solution fails; double's entry is untouched.
  expect(other.code).toBe(1);
  expect(other.stdout).toMatch(/Checking 2 runs \(1 exercises, 0 wrong answers\)/);
  expect(other.stdout).not.toMatch(/exercise double:/);
  expect((await cli(['dev', 'check', '--only', 'nope'], { cwd: course })).code).toBe(2);
});
