import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Verdict } from '../../src/core/verdict.js';
import type { CheckRunner, CheckTarget } from '../../src/node/engine/index.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { gradeClass } from '../../src/node/grading/grade-class.js';
import type { GradeReporter } from '../../src/node/grading/reporter.js';
import { findSubmissions } from '../../src/node/grading/submissions.js';
import { initWorkspace } from '../../src/node/workspace.js';
import { miniCourse } from '../helpers.js';

/*
 * WALL items (`wall = true`) read the real clock: with --jobs > 1 they run after every batch, one
 * at a time, with no other check running. A fake runner records what ran beside what.
 */

let dir: string;
let loaded: LoadedCourse;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'al-grading-wall-'));
  loaded = await loadCourse(miniCourse);
  for (const name of ['ann', 'bob', 'cat', 'dan']) await initWorkspace(path.join(dir, 'class', name), loaded);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Call {
  names: string[];
  start: number;
  end: number;
  /** How many checkMany calls (of any runner) were in flight at any moment of this one. */
  peak: number;
  /** Which runner (check host) ran it, numbered as made, and which submission's copy it checked. */
  runner: number;
  copy: string;
}

function recorder() {
  const calls: Call[] = [];
  let clock = 0;
  let active = 0;
  let made = 0;
  const open = new Set<Call>();
  class Runner implements CheckRunner {
    readonly id = ++made;
    async check(t: CheckTarget): Promise<Verdict> {
      return { exercise: t.exercise.name, status: 'passed', durationMs: 1, tests: [{ name: 'ok', state: 'passed', durationMs: 1 }], console: [], warnings: [] };
    }
    async checkMany(targets: readonly CheckTarget[], onVerdict?: (v: Verdict, i: number) => void): Promise<Verdict[]> {
      const call: Call = { names: targets.map((t) => t.exercise.name), start: ++clock, end: 0, peak: 0, runner: this.id, copy: targets[0]!.learner.dir };
      active += 1;
      open.add(call);
      for (const c of open) c.peak = Math.max(c.peak, active);
      await new Promise((resolve) => setTimeout(resolve, 15));
      const out = await Promise.all(targets.map((t) => this.check(t)));
      out.forEach((v, i) => onVerdict?.(v, i));
      active -= 1;
      open.delete(call);
      call.end = ++clock;
      calls.push(call);
      return out;
    }
    async close(): Promise<void> {}
  }
  return { calls, makeRunner: () => new Runner() };
}

const WALL = new Set(['passes', 'never_settles']);

async function grade(jobs: number) {
  const exercises = loaded.course.exercises.filter((e) => ['passes', 'fails', 'never_settles'].includes(e.name)).map((e) => ({ ...e, wall: WALL.has(e.name) }));
  const { calls, makeRunner } = recorder();
  const ended: string[] = [];
  const spy: GradeReporter = { onSubmissionEnd: (g) => void ended.push(g.student) };
  const tmpRoot = path.join(dir, `tmp-${jobs}`);
  await mkdir(tmpRoot);
  const students = await gradeClass({ course: loaded, exercises, lock: undefined, submissions: await findSubmissions([path.join(dir, 'class')], dir), jobs, reporters: [spy], makeRunner, tmpRoot });
  return { calls, students, ended };
}

describe('WALL items', () => {
  test('with --jobs 2 they run after every batch, each alone, with nothing else running', async () => {
    const { calls, students, ended } = await grade(2);
    const wall = calls.filter((c) => c.names.some((n) => WALL.has(n)));
    const batch = calls.filter((c) => !wall.includes(c));
    expect(wall).toHaveLength(8);
    for (const c of wall) expect(c.names).toHaveLength(1);
    for (const c of wall) expect(c.peak, c.names[0]).toBe(1);
    // A submission's WALL items share one host of their own, made after its batch's was closed;
    // no host serves two submissions.
    const hosts = new Map<number, Set<string>>();
    for (const c of calls) hosts.set(c.runner, (hosts.get(c.runner) ?? new Set()).add(c.copy));
    for (const copies of hosts.values()) expect(copies.size).toBe(1);
    const wallHosts = [...new Set(wall.map((c) => c.runner))];
    expect(wallHosts).toHaveLength(4);
    for (const r of wallHosts) expect(wall.filter((c) => c.runner === r).map((c) => c.names[0])).toEqual(['passes', 'never_settles']);
    for (const c of wall) expect(batch.some((b) => b.runner === c.runner)).toBe(false);
    expect(Math.min(...wall.map((c) => c.start))).toBeGreaterThan(Math.max(...batch.map((c) => c.end)));
    // The batches themselves still ran two at a time, without the WALL items.
    expect(batch.map((c) => c.names)).toEqual(Array.from({ length: 4 }, () => ['fails']));
    expect(Math.max(...batch.map((c) => c.peak))).toBe(2);
    // Every row is whole, in course order, and reported once.
    expect(students.map((s) => [s.student, s.exercises.map((e) => `${e.exercise} ${e.status}`)])).toEqual(
      ['ann', 'bob', 'cat', 'dan'].map((id) => [id, ['passes passed', 'fails passed', 'never_settles passed']]),
    );
    expect([...ended].sort()).toEqual(['ann', 'bob', 'cat', 'dan']);
    await expect(mkdtemp(path.join(dir, 'tmp-2', 'x'))).rejects.toThrow(/ENOENT/);
  });

  test('with --jobs 1 nothing runs beside them, so they stay in their batch', async () => {
    const { calls, students } = await grade(1);
    expect(calls.map((c) => c.names)).toEqual(Array.from({ length: 4 }, () => ['passes', 'fails', 'never_settles']));
    expect(students.every((s) => s.points === s.max)).toBe(true);
  });
});
