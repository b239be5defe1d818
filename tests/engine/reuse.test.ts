import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CheckTarget } from '../../src/node/engine/index.js';
import { EngineRunner } from '../../src/node/engine/index.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { miniCourse } from '../helpers.js';

// Batches that re-place the same learner folders with new contents (as the mutation run did
// before it gave each mutant its own folder) must see the new contents, also after a batch in
// which one exercise blocked and the rest were re-run alone.
let loaded: LoadedCourse;
let scratch: string;
const engine = new EngineRunner({ maxWorkers: 2, oneShot: true });

beforeAll(async () => {
  loaded = await loadCourse(miniCourse);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'al-reuse-'));
});
afterAll(async () => {
  await engine.close();
  await rm(scratch, { recursive: true, force: true });
});

const target = (name: string, dir: string): CheckTarget => ({
  courseRoot: loaded.root,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir, displayBase: dir },
});

test('a folder re-used across batches is checked as it is now, after a blocked batch too', async () => {
  const dirs = [0, 1, 2].map((i) => path.join(scratch, `w${i}`));
  for (const d of dirs) await cp(path.join(miniCourse, 'exercises'), d, { recursive: true });
  const passing = path.join(miniCourse, 'solutions/01_basics/fails.ts');
  const loop = path.join(miniCourse, 'exercises/02_hangs/infinite_loop.ts');
  const loopFix = path.join(miniCourse, 'solutions/02_hangs/infinite_loop.ts');
  // Batch 1: w0 blocks, w1 and w2 fail.
  await cp(loop, path.join(dirs[0]!, '02_hangs/infinite_loop.ts'));
  const first = await engine.checkMany([target('infinite_loop', dirs[0]!), target('fails', dirs[1]!), target('fails', dirs[2]!)]);
  expect(first.map((v) => v.status)).toEqual(['timeout', 'failed', 'failed']);
  // Batch 2, same folders, new contents: everything passes.
  await cp(loopFix, path.join(dirs[0]!, '02_hangs/infinite_loop.ts'));
  await cp(passing, path.join(dirs[1]!, '01_basics/fails.ts'));
  await cp(passing, path.join(dirs[2]!, '01_basics/fails.ts'));
  const second = await engine.checkMany([target('infinite_loop', dirs[0]!), target('fails', dirs[1]!), target('fails', dirs[2]!)]);
  expect(second.map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
  // Batch 3: back to failing, in a different order.
  await writeFile(path.join(dirs[2]!, '01_basics/fails.ts'), "export function add(a: number, b: number): number {\n  return a - b;\n}\n");
  const third = await engine.checkMany([target('fails', dirs[2]!), target('infinite_loop', dirs[0]!), target('fails', dirs[1]!)]);
  expect(third.map((v) => v.status)).toEqual(['failed', 'passed', 'passed']);
}, 120_000);
