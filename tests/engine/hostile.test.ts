import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CheckTarget } from '../../src/node/engine/check-runner.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { EngineRunner } from '../../src/node/engine/client/engine-runner.js';
import { repoRoot } from '../helpers.js';

// Learner code that misbehaves must yield a verdict, never a dead or stuck runner.
let loaded: LoadedCourse;
const engine = new EngineRunner({ maxWorkers: 2, heapMb: 128 });
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

test('process.kill(process.ppid) is refused and the runner lives on', async () => {
  const v = await engine.check(target('kills_parent'));
  expect(v.status).toBe('failed');
  expect(v.tests[0]?.actual).toMatch(/refused: exercise code may only signal its own process/);
  expect((await engine.check(target('kills_parent', 'solutions'))).status).toBe('passed');
  expect(engine.respawns).toBe(0);
});

test('reading outside the run folder is denied', async () => {
  const v = await engine.check(target('reads_secrets'));
  expect(v.tests[0]?.actual).toBe('ERR_ACCESS_DENIED');
});

test('spawning and writing are denied', async () => {
  const v = await engine.check(target('spawns_and_writes'));
  expect(v.tests[0]?.actual).toMatch(/spawn: ERR_ACCESS_DENIED[\s\S]*write: ERR_ACCESS_DENIED/);
});

test('running out of memory is a crashed verdict, and the next check works', async () => {
  const v = await engine.check(target('exhausts_memory'));
  expect(v.status).toBe('crashed');
  expect((await engine.check(target('exhausts_memory', 'solutions'))).status).toBe('passed');
});

test('an endless chain of awaits is a blocked event loop, not a never-settled promise', async () => {
  const v = await engine.check(target('await_loop'));
  expect(v.status).toBe('timeout');
  expect(v.status === 'timeout' && v.diagnosis).toMatchObject({ kind: 'blocked-event-loop', test: 'finishes' });
});

test('a timer left running is a warning on a passing verdict; the clean solution has none', async () => {
  const leaky = await engine.check(target('leaves_timer'));
  expect(leaky.status).toBe('passed');
  expect(leaky.warnings.join('\n')).toMatch(/left work running after the tests finished \(Timeout ×1\)/);
  const clean = await engine.check(target('leaves_timer', 'solutions'));
  expect(clean.warnings).toEqual([]);
});

test('a symlinked exercise file is refused before anything runs', async () => {
  const { mkdtemp, mkdir, symlink, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'al-link-'));
  try {
    await mkdir(path.join(dir, '01_hostile'));
    await symlink('/etc/passwd', path.join(dir, '01_hostile/reads_secrets.ts'));
    await expect(engine.check({ ...target('reads_secrets'), learner: { dir, displayBase: dir } })).rejects.toThrow(/symbolic link, not a plain file/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a TypeScript worker runs under confinement when the exercise allows workers, and is refused when not', async () => {
  const v = await engine.check(target('uses_worker', 'solutions'));
  expect(v.status, JSON.stringify(v)).toBe('passed');
  const shipped = await engine.check(target('uses_worker'));
  expect(shipped.tests[0]?.message).toMatch(/should post 7 \* 7: expected 14 to be 49/);
  const exercise = loaded.course.exercises.find((e) => e.name === 'uses_worker')!;
  const denied = await engine.check({ ...target('uses_worker', 'solutions'), exercise: { ...exercise, allow: [] } });
  expect(denied.status).toBe('failed');
  expect(JSON.stringify(denied)).toMatch(/ERR_ACCESS_DENIED|restricted/);
});

test('built-ins rewritten by one exercise do not leak into the next file of the same worker', async () => {
  // One worker, so both files share it (isolate:false): the innocent one runs after the polluter.
  const single = new EngineRunner({ maxWorkers: 1, heapMb: 128 });
  try {
    const [polluter, innocent] = await single.checkMany([target('pollutes_globals'), target('innocent')]);
    expect(polluter?.status).toBe('passed');
    expect(innocent?.status, JSON.stringify(innocent?.tests)).toBe('passed');
  } finally {
    await single.close();
  }
});
