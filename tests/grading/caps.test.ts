import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { EngineRunner } from '../../src/node/engine/client/engine-runner.js';
import { initWorkspace } from '../../src/node/workspace.js';
import { makeCourse } from '../fixtures/grading-class/make-class.js';
import { chatter, hog, hogAtImport } from '../fixtures/grading-hostile/students.js';
import { cli } from '../helpers.js';

/*
 * Memory and output caps: a submission that allocates without bound (in a test, or while loading)
 * ends as its own row, crashed with the cap named, while a classmate graded beside it gets every
 * point; one that logs 150 000 lines (8 MB) passes as its code deserves, and the host keeps the first 1 MB
 * of it at most.
 */

let work: string;
let course: string;
let loaded: LoadedCourse;
let classDir: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'al-caps-'));
  course = await makeCourse(work);
  loaded = await loadCourse(course);
  const template = path.join(work, 'template');
  await initWorkspace(template, loaded);
  classDir = path.join(work, 'class');
  await hog(classDir, template);
  await hogAtImport(classDir, template);
  await chatter(classDir, template);
}, 60_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('grade caps', () => {
  test('unbounded allocation is its own crashed row, the cap named; a console flood costs nothing', async () => {
    const r = await cli(['grade', classDir, '--course', course, '--only', 'passes,fails', '--out', 'out', '--jobs', '2'], { cwd: work, env: { TMPDIR: work } });
    expect(r.code, r.all).toBe(0);
    const doc = JSON.parse(await readFile(path.join(work, 'out/grades.json'), 'utf8'));
    const rows = Object.fromEntries(doc.students.map((s: { student: string; points: number; exercises: Array<{ exercise: string; status: string; reason?: string }> }) => [s.student, s]));
    for (const id of ['hog', 'hog-at-import']) {
      expect(rows[id].exercises.map((e: { status: string }) => e.status), id).toEqual(['passed', 'crashed']);
      expect(rows[id].exercises[1].reason, id).toBe('ran out of memory (cap 512 MB)');
    }
    expect(rows.chatter.points).toBe(4);
    // Nothing of the flood reached the grades or the screen.
    expect((await readFile(path.join(work, 'out/grades.json'), 'utf8')).length).toBeLessThan(10_000);
    expect(r.all).not.toContain('loading line');
  }, 240_000);

  test('the host keeps the first messages of a flood and says how many it dropped', async () => {
    const engine = new EngineRunner({ maxWorkers: 1, oneShot: true });
    try {
      const exercise = loaded.course.exercises.find((e) => e.name === 'fails')!;
      const v = await engine.check({ courseRoot: course, exercise, learner: { dir: path.join(classDir, 'chatter/exercises'), displayBase: path.join(classDir, 'chatter') } });
      expect(v.status).toBe('passed');
      // vitest sends console output in chunks of many lines: the byte cap is what stops a flood.
      expect(v.console.at(-1)).toMatch(/^… \d+ more console messages? dropped \(kept per file: 10000 messages, 1 MB\)$/);
      expect(v.console.some((l) => l.startsWith('test line 49999'))).toBe(false);
      expect(v.console.join('\n').length).toBeLessThan(1024 * 1024);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
