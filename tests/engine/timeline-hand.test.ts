import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CheckTarget } from '../../src/node/engine/check-runner.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { EngineRunner } from '../../src/node/engine/client/engine-runner.js';
import { repoRoot } from '../helpers.js';

// Checks that drive a learner's future by hand (spyWaker, pollWith, pollNextWith) get a timeline
// through the real engine, as checks built on TestExecutor do.
let loaded: LoadedCourse;
const engine = new EngineRunner({ maxWorkers: 2 });

const target = (name: string, from: 'exercises' | 'solutions' = 'exercises'): CheckTarget => ({
  courseRoot: loaded.root,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir: path.join(loaded.root, from), displayBase: loaded.root },
});

beforeAll(async () => {
  loaded = await loadCourse(path.join(repoRoot, 'tests/fixtures/engine-course'));
  engine.start();
});
afterAll(() => engine.close());

test('a timer polled by hand that returns Pending and never hands its waker on: the spy\'s row and a lost-wake warning', async () => {
  const v = await engine.check(target('hand_lost_wake'));
  expect(v.status).toBe('failed');
  expect(v.timeline).toMatchObject({ test: 'the reactor wakes the timer at its deadline', tasks: ['task'] });
  expect(v.timeline!.events.map((e) => `${e.task}:${e.kind}`)).toEqual(['task:spawn', 'task:pending']);
  expect(v.timeline!.warnings).toEqual([expect.objectContaining({ task: 'task', kind: 'lost-wake' })]);
  expect(v.timeline!.warnings[0]!.message).toMatch(/nothing woke it before the check ended/);
  const fixed = await engine.check(target('hand_lost_wake', 'solutions'));
  expect(fixed.status).toBe('passed');
  expect(fixed.timeline).toBeUndefined();
}, 30_000);

test('a ticker that keeps the waker of an old poll: the wake names task A\'s clone, and B gets the stale-waker warning', async () => {
  const v = await engine.check(target('stale_waker'));
  expect(v.status).toBe('failed');
  expect(v.timeline!.tasks).toEqual(['task A', 'task B']);
  const wakes = v.timeline!.events.filter((e) => e.kind === 'wake');
  expect(wakes.map((e) => `${e.task} clone ${e.clone} at ${e.t}`)).toEqual(['task A clone 1 at 100']);
  expect(v.timeline!.warnings.map((w) => `${w.task}:${w.kind}`)).toEqual(['task B:stale-waker']);
  expect(v.timeline!.warnings[0]!.message).toMatch(/went to "task A" \(clone #1 of its waker, made during its poll at t=0\)/);
  expect((await engine.check(target('stale_waker', 'solutions'))).status).toBe('passed');
}, 30_000);

test('a check with more futures than the timeline keeps says how many are not shown, and keeps the failing one', async () => {
  const v = await engine.check(target('many_futures'));
  expect(v.status).toBe('failed');
  expect(v.timeline!.notShown).toBe(5);
  expect(v.timeline!.tasks.length).toBe(20);
  expect(v.timeline!.tasks.at(-1)).toBe('task');
  expect(v.timeline!.warnings.map((w) => `${w.task}:${w.kind}`)).toEqual(['task:lost-wake']);
  expect((await engine.check(target('many_futures', 'solutions'))).status).toBe('passed');
}, 30_000);

test("explore's failing schedule is the timeline a failed check shows, step by step", async () => {
  const v = await engine.check(target('explore_lost_update'));
  expect(v.status).toBe('failed');
  expect(v.timeline!.tasks).toEqual(['a', 'b']);
  const steps = v.timeline!.events.filter((e) => e.kind !== 'spawn').map((e) => `${e.task}:${e.kind}`);
  // One schedule, not all of them: a and b each step once and return once, and both read before either wrote.
  expect(steps).toEqual(['a:step', 'b:step', 'a:ready', 'b:ready']);
  expect(v.timeline!.warnings).toEqual([]);
  expect((await engine.check(target('explore_lost_update', 'solutions'))).status).toBe('passed');
}, 30_000);
