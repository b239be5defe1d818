import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { loadCourse } from '../../src/node/course-loader.js';
import { repoRoot, tempDir } from '../helpers.js';

// The path a real user takes: the packed tarball through npx in an empty folder, then the
// workspace's own `npm install` so the editor (and tsc) see only the exercises' intended errors —
// with the course library present only as declarations.
test('npm pack → npx init in an empty folder → run reports the first exercise failing (exit 1) → tsc sees only intended errors', async () => {
  const dir = await tempDir('al-pack-');
  const pack = await execa('npm', ['pack', '--pack-destination', dir], { cwd: repoRoot, reject: false, all: true });
  expect(pack.exitCode, pack.all).toBe(0);
  const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'))!;
  const learner = path.join(dir, 'learner');
  await mkdir(learner);
  const npx = (args: string[]) =>
    execa('npx', ['--yes', `../${tarball}`, ...args], { cwd: learner, reject: false, all: true, stdin: 'ignore', env: { NO_COLOR: '1' } });

  const init = await npx(['init', '--yes']);
  expect(init.exitCode, init.all).toBe(0);
  expect(init.stdout).toMatch(/Set up your async-lessons workspace in this folder/);
  // The course library arrives as the declarations the build made (dist/course-lib/), never as code.
  const contents = await execa('tar', ['-tzf', path.join(dir, tarball)]);
  expect(contents.stdout).toContain('package/dist/course-lib/_lib/future.d.ts');
  const library = (await readdir(path.join(repoRoot, 'exercises/_lib'))).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '.d.ts'));
  expect(library).toContain('future.d.ts');
  expect((await readdir(path.join(learner, 'exercises/_lib'))).sort()).toEqual(library.sort());

  const loaded = await loadCourse(repoRoot);
  const first = loaded.course.exercises[0]!;
  const run = await npx(['run']);
  expect(run.exitCode, run.all).toBe(1);
  expect(run.stdout).toContain(`✗ ${first.name} failed`);

  const install = await execa('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: learner, reject: false, all: true });
  expect(install.exitCode, install.all).toBe(0);
  // Starting files may fail to type-check where their TODOs are (that is the exercise), but only
  // inside an exercise's own files: never in the course library, the harness types or solutions/.
  const tscErrors = async () => {
    const r = await execa('npx', ['tsc', '--noEmit', '--pretty', 'false'], { cwd: learner, reject: false, all: true });
    return { files: [...new Set([...String(r.stdout).matchAll(/^(\S+)\(\d+,\d+\): error/gm)].map((m) => m[1]!))], all: r.all };
  };
  const exerciseFiles = new Set(loaded.course.exercises.flatMap((e) => [...e.learnerFiles, ...e.checkFiles, e.testFile].map((f) => `exercises/${f}`)));
  const before = await tscErrors();
  expect(before.files.filter((f) => !exerciseFiles.has(f)), before.all).toEqual([]);
  // With every reference solution in place, the whole workspace type-checks clean.
  for (const e of loaded.course.exercises) {
    for (const f of e.learnerFiles) await cp(path.join(repoRoot, 'solutions', f), path.join(learner, 'exercises', f));
  }
  const after = await tscErrors();
  expect(after.files, after.all).toEqual([]);
}, 300_000);
