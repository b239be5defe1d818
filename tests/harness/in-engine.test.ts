import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CheckTarget } from '../../src/node/engine/check-runner.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { EngineRunner } from '../../src/node/engine/client/engine-runner.js';
import { repoRoot } from '../helpers.js';

// Through the real engine, with its confined workers: a learner's module that rewrites a built-in
// its checks rely on fails with a message naming it, in a single check and in a batch, and nothing
// leaks to the next file; retainedAfter can force a GC there.
let loaded: LoadedCourse;
const engine = new EngineRunner({ maxWorkers: 1, heapMb: 128 });
const target = (name: string, from: 'exercises' | 'solutions' = 'exercises'): CheckTarget => ({
  courseRoot: loaded.root,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir: path.join(loaded.root, from), displayBase: loaded.root },
});

beforeAll(async () => {
  loaded = await loadCourse(path.join(repoRoot, 'tests/fixtures/hostile-course'));
  engine.start();
});
afterAll(() => engine.close());

test('Object.is = () => true fails every test, saying what was replaced', async () => {
  const v = await engine.check(target('rewrites_object_is'));
  expect(v.status, JSON.stringify(v)).toBe('failed');
  expect(v.tests.map((t) => t.state)).toEqual(['failed', 'failed']);
  for (const t of v.tests) expect(t.message).toMatch(/^your code replaced Object\.is; the checks rely on the real one/);
  expect((await engine.check(target('rewrites_object_is', 'solutions'))).status).toBe('passed');
});

test("rewriting expect's matchers or equality testers fails too", async () => {
  const v = await engine.check(target('rewrites_expect'));
  expect(v.status, JSON.stringify(v)).toBe('failed');
  expect(v.tests[0]?.message).toMatch(/^your code replaced expect's matchers \(chai\.Assertion\.prototype\)\.toBe, /);
  expect(v.tests[0]?.message).toContain("added expect's equality testers.0");
  expect((await engine.check(target('rewrites_expect', 'solutions'))).status).toBe('passed');
});

test('a rewrite undone before the test ends is caught at the assertion it would have fooled', async () => {
  const v = await engine.check(target('patches_during_test'));
  expect(v.status, JSON.stringify(v)).toBe('failed');
  expect(v.tests[0]?.message).toMatch(/^your code replaced Object\.is; the checks rely on the real one/);
  expect((await engine.check(target('patches_during_test', 'solutions'))).status).toBe('passed');
});

test("rewriting the harness's own classes fails too, and the guard cannot be switched off", async () => {
  const v = await engine.check(target('rewrites_harness'));
  expect(v.status, JSON.stringify(v)).toBe('failed');
  expect(v.tests[0]?.message).toMatch(/^your code replaced TestExecutor\.prototype\.runUntilStalled; the checks rely on the real one/);
  expect((await engine.check(target('rewrites_harness', 'solutions'))).status).toBe('passed');
});

test('in a batch, a polluter fails naming its rewrites and the next file still sees real built-ins', async () => {
  const [polluter, innocent, fixed] = await engine.checkMany([target('rewrites_builtins'), target('innocent'), target('rewrites_object_is', 'solutions')]);
  expect(polluter?.status).toBe('failed');
  const message = polluter?.tests[0]?.message ?? '';
  expect(message).toMatch(/^your code replaced /);
  for (const change of ['replaced Array.prototype.includes', 'replaced Object.is', 'added String.prototype.shout', 'replaced JSON', 'replaced Math.max']) {
    expect(message).toContain(change);
  }
  expect(innocent?.status, JSON.stringify(innocent?.tests)).toBe('passed');
  expect(fixed?.status).toBe('passed');
});

test('retainedAfter forces a collection in a confined worker: a closure that keeps the input is caught', async () => {
  const v = await engine.check(target('keeps_input'));
  expect(v.status, JSON.stringify(v)).toBe('failed');
  expect(v.tests[0]?.message).toMatch(/the summary still keeps the whole input alive/);
  const fixed = await engine.check(target('keeps_input', 'solutions'));
  expect(fixed.status, JSON.stringify(fixed)).toBe('passed');
});
