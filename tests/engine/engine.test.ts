import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Verdict } from '../../src/core/verdict.js';
import type { CheckTarget } from '../../src/node/engine/check-runner.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { EngineRunner } from '../../src/node/engine/client/engine-runner.js';
import { miniCourse } from '../helpers.js';

let loaded: LoadedCourse;
const engine = new EngineRunner({ maxWorkers: 2 });

const target = (name: string, from: 'exercises' | 'solutions' = 'exercises'): CheckTarget => ({
  courseRoot: loaded.root,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir: path.join(loaded.root, from), displayBase: loaded.root },
});

beforeAll(async () => {
  loaded = await loadCourse(miniCourse);
  engine.start();
});
afterAll(() => engine.close());

describe('the warm engine gives each mini-course outcome its verdict', () => {
  const cases: Array<[string, (v: Verdict) => void]> = [
    ['passes', (v) => expect(v.status).toBe('passed')],
    ['fails', (v) => {
      expect(v.status).toBe('failed');
      expect(v.tests.find((t) => t.name === 'adds two numbers')?.message).toMatch(/add\(1, 2\) should be 3/);
      expect(v.console).toEqual(['adding 1 and 2', 'adding 20 and 22']);
    }],
    ['syntax_error', (v) => expect(v.status).toBe('compile-error')],
    ['type_error', (v) => expect(v.status === 'type-error' && v.errors.map((e) => e.code)).toEqual([2322, 2349])],
    ['infinite_loop', (v) => {
      expect(v.status).toBe('timeout');
      expect(v.status === 'timeout' && v.diagnosis).toMatchObject({ kind: 'blocked-event-loop', test: 'counts to ten' });
    }],
    ['never_settles', (v) => expect(v.status === 'timeout' && v.diagnosis.kind).toBe('never-settled')],
    ['exits_at_import', (v) => expect(v.status).toBe('crashed')],
    ['throws_at_import', (v) => expect(v.status === 'failed' && v.loadError?.message).toBe('boom while loading')],
    ['unhandled_rejection', (v) => expect(v.status === 'failed' && v.reason).toMatch(/Unhandled Rejection/)],
  ];
  test.each(cases)('%s', async (name, expectations) => {
    expectations(await engine.check(target(name)));
  });
});

test("checked alone, a failing run brings the learner's type errors along; a batch does not wait for them", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'al-types-beside-'));
  try {
    await cp(path.join(loaded.root, 'exercises'), dir, { recursive: true });
    // Runs (and fails: "12" is not 3) and does not type-check: the type error is the cause.
    await writeFile(path.join(dir, '01_basics/fails.ts'), 'export function add(a: number, b: number): number {\n  const sum: number = `${a}${b}`;\n  return sum;\n}\n');
    const t: CheckTarget = { ...target('fails'), learner: { dir, displayBase: loaded.root } };
    const alone = await engine.check(t);
    expect(alone.status).toBe('failed');
    expect(alone.typeErrors?.map((e) => [e.code, e.frame?.line])).toEqual([[2322, 2]]);
    const [batched] = await engine.checkMany([t]);
    expect(batched!.status).toBe('failed');
    expect(batched!.typeErrors).toBeUndefined();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('after a blocked loop the same engine checks the fix correctly', async () => {
  const blocked = await engine.check(target('infinite_loop'));
  expect(blocked.status).toBe('timeout');
  const fixed = await engine.check(target('infinite_loop', 'solutions'));
  expect(fixed.status).toBe('passed');
});

test('batch verdicts equal one-by-one verdicts', async () => {
  const names = ['passes', 'fails', 'never_settles', 'infinite_loop', 'throws_at_import', 'type_error'];
  const batch = await engine.checkMany(names.map((n) => target(n)));
  const alone: Verdict[] = [];
  for (const n of names) alone.push(await engine.check(target(n)));
  const shape = (v: Verdict) => [v.exercise, v.status, v.tests.map((t) => `${t.name}:${t.state}`).join(',')];
  expect(batch.map(shape)).toEqual(alone.map(shape));
});

test('a module that calls process.exit at import is crashed in a batch too, whatever shares its worker', async () => {
  const names = ['passes', 'exits_at_import', 'fails', 'throws_at_import', 'exits_at_import', 'passes'];
  const batch = await engine.checkMany(names.map((n) => target(n)));
  expect(batch.filter((v) => v.exercise === 'exits_at_import').map((v) => v.status)).toEqual(['crashed', 'crashed']);
  expect(batch.map((v) => v.status)).toEqual(['passed', 'crashed', 'failed', 'failed', 'crashed', 'passed']);
});
