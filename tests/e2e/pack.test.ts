import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { loadCourse } from '../../src/node/course-loader.js';
import { repoRoot, tempDir } from '../helpers.js';

// The path a real user takes: the packed tarball through npx in an empty folder, then the
// workspace's own `npm install` so the editor (and tsc) see only the exercises' intended errors.
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

  const loaded = await loadCourse(repoRoot);
  const first = loaded.course.exercises[0]!;
  const run = await npx(['run']);
  expect(run.exitCode, run.all).toBe(1);
  expect(run.stdout).toContain(`✗ ${first.name} failed`);

  const install = await execa('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: learner, reject: false, all: true });
  expect(install.exitCode, install.all).toBe(0);
  const tsc = await execa('npx', ['tsc', '--noEmit', '--pretty', 'false'], { cwd: learner, reject: false, all: true });
  const typeExerciseFiles = loaded.course.exercises.filter((e) => e.kind !== 'runtime').flatMap((e) => [...e.learnerFiles, ...e.checkFiles].map((f) => `exercises/${f}`));
  const errorFiles = [...String(tsc.stdout).matchAll(/^(\S+)\(\d+,\d+\): error/gm)].map((m) => m[1]!);
  expect(errorFiles.filter((f) => !typeExerciseFiles.includes(f)), tsc.all).toEqual([]);
}, 300_000);
