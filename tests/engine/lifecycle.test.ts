import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CheckTarget } from '../../src/node/engine/check-runner.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { EngineRunner } from '../../src/node/engine/client/engine-runner.js';
import { miniCourse } from '../helpers.js';

let scratch: string;
let loaded: LoadedCourse;
let learner: string;
let passing: string;
let failing: string;

const target = (name: string): CheckTarget => ({
  courseRoot: loaded.root,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir: learner, displayBase: scratch },
});
const file = path.join.bind(path);

/** Live (not zombie) processes in a process group, from the process table. */
function inGroup(pgid: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,pgid,stat,args'], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(1)
    .filter((l) => {
      const [, group, stat] = l.trim().split(/\s+/);
      return Number(group) === pgid && !(stat ?? '').startsWith('Z');
    });
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'al-life-'));
  await cp(miniCourse, file(scratch, 'course'), { recursive: true });
  loaded = await loadCourse(file(scratch, 'course'));
  learner = file(scratch, 'learner');
  await cp(file(scratch, 'course/exercises'), learner, { recursive: true });
  passing = await readFile(file(scratch, 'course/solutions/01_basics/fails.ts'), 'utf8');
  failing = await readFile(file(scratch, 'course/exercises/01_basics/fails.ts'), 'utf8');
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

test('100 alternating pass/fail edits give 0 stale verdicts', async () => {
  const engine = new EngineRunner({ maxWorkers: 2 });
  try {
    let stale = 0;
    for (let i = 0; i < 100; i++) {
      const pass = i % 2 === 1;
      await writeFile(file(learner, '01_basics/fails.ts'), pass ? passing : failing);
      const v = await engine.check(target('fails'));
      if ((v.status === 'passed') !== pass) stale += 1;
    }
    expect(stale).toBe(0);
  } finally {
    await engine.close();
  }
});

test('a save during a run: every caller gets the verdict for the file as it is now', async () => {
  const engine = new EngineRunner({ maxWorkers: 2 });
  try {
    await writeFile(file(learner, '01_basics/fails.ts'), failing);
    const first = engine.check(target('fails'));
    await new Promise((r) => setTimeout(r, 30));
    await writeFile(file(learner, '01_basics/fails.ts'), passing);
    const second = engine.check(target('fails'));
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe('passed');
    expect(b.status).toBe('passed');
    // A save the engine was never told about is still caught: it re-checks when the file moved on.
    await writeFile(file(learner, '01_basics/fails.ts'), failing);
    const pending = engine.check(target('fails'));
    setTimeout(() => void writeFile(file(learner, '01_basics/fails.ts'), passing), 5);
    const v = await pending;
    const now = await readFile(file(learner, '01_basics/fails.ts'), 'utf8');
    expect(v.status).toBe(now === passing ? 'passed' : 'failed');
  } finally {
    await engine.close();
  }
});

test('killing the host mid-run: that check gets a verdict, the next one is correct', async () => {
  const engine = new EngineRunner({ maxWorkers: 2 });
  try {
    await writeFile(file(learner, '01_basics/fails.ts'), passing);
    const pid = await engine.hostPid();
    const running = engine.check(target('infinite_loop'));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-pid!, 'SIGKILL');
    const v = await running;
    expect(['crashed', 'timeout']).toContain(v.status);
    expect((await engine.check(target('fails'))).status).toBe('passed');
    expect(engine.respawns).toBe(1);
  } finally {
    await engine.close();
  }
});

test('a type error in the learner file keeps a passing runtime exercise from counting', async () => {
  const engine = new EngineRunner({ maxWorkers: 2 });
  try {
    await writeFile(file(learner, '01_basics/fails.ts'), `${passing}\nexport const oops: number = 'not a number';\n`);
    const v = await engine.check(target('fails'));
    expect(v.status).toBe('type-error');
    expect(v.status === 'type-error' && v.errors.map((e) => [e.code, e.frame?.file])).toEqual([[2322, 'learner/01_basics/fails.ts']]);
    expect(v.tests.every((t) => t.state === 'passed')).toBe(true);
  } finally {
    await engine.close();
  }
});

test('after close no process of ours remains (checked in the process table)', async () => {
  const engine = new EngineRunner({ maxWorkers: 2 });
  await writeFile(file(learner, '01_basics/fails.ts'), passing);
  await engine.check(target('fails'));
  await engine.check(target('infinite_loop'));
  const pid = await engine.hostPid();
  await engine.close();
  await new Promise((r) => setTimeout(r, 300));
  // The host led its own group: the host, its forks and any spare worker.
  const left = inGroup(pid!);
  expect(left, left.join('\n')).toEqual([]);
});

test('a save that changes nothing does not re-run; --force does', async () => {
  const engine = new EngineRunner({ maxWorkers: 2 });
  try {
    await writeFile(file(learner, '01_basics/fails.ts'), failing);
    const first = await engine.check(target('fails'));
    const again = await engine.check(target('fails'));
    expect(again).toBe(first);
    const forced = await engine.check(target('fails'), { force: true });
    expect(forced).not.toBe(first);
    expect(forced.status).toBe(first.status);
  } finally {
    await engine.close();
  }
});

/** The check hosts this test process started and that are still alive. */
function ourHosts(): string[] {
  const out = execFileSync('ps', ['-eo', 'ppid,stat,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => {
    const [ppid, stat] = l.trim().split(/\s+/);
    return Number(ppid) === process.pid && !(stat ?? '').startsWith('Z') && l.includes('check-host.js');
  });
}

test('start() and the checks that follow share one host; close() during start-up leaves none', async () => {
  const engine = new EngineRunner({ maxWorkers: 2 });
  engine.start();
  await writeFile(file(learner, '01_basics/fails.ts'), passing);
  const [a, b] = await Promise.all([engine.check(target('fails')), engine.hostPid()]);
  expect(a.status).toBe('passed');
  expect(b).toBeDefined();
  expect(ourHosts()).toHaveLength(1);
  await engine.close();

  const early = new EngineRunner({ maxWorkers: 2 });
  early.start();
  await new Promise((r) => setTimeout(r, 50));
  await early.close();
  await new Promise((r) => setTimeout(r, 300));
  expect(ourHosts()).toEqual([]);
});

test('a newer save cancels a run that is waiting on a promise, instead of waiting out its timeout', async () => {
  // The same exercise with a 20 s timeout: without a working cancel the fix would wait ~20 s.
  const slow = file(scratch, 'course-slow');
  await cp(file(scratch, 'course'), slow, { recursive: true });
  const toml = await readFile(file(slow, 'info.toml'), 'utf8');
  await writeFile(file(slow, 'info.toml'), toml.replace(/(name = "never_settles"\ndir = "02_hangs"\ntimeout_ms = )1000/, '$120000'));
  const slowCourse = await loadCourse(slow);
  const slowTarget: CheckTarget = { courseRoot: slow, exercise: slowCourse.course.exercises.find((e) => e.name === 'never_settles')!, learner: { dir: learner, displayBase: scratch } };
  expect(slowTarget.exercise.timeoutMs).toBe(20_000);
  const engine = new EngineRunner({ maxWorkers: 2 });
  try {
    await engine.hostPid();
    await writeFile(file(learner, '02_hangs/never_settles.ts'), await readFile(file(slow, 'exercises/02_hangs/never_settles.ts'), 'utf8'));
    const waiting = engine.check(slowTarget);
    await new Promise((r) => setTimeout(r, 1500));
    await writeFile(file(learner, '02_hangs/never_settles.ts'), await readFile(file(slow, 'solutions/02_hangs/never_settles.ts'), 'utf8'));
    const saved = Date.now();
    const [first, fixed] = await Promise.all([waiting, engine.check(slowTarget)]);
    expect(fixed.status).toBe('passed');
    expect(first.status).toBe('passed');
    expect(Date.now() - saved).toBeLessThan(12_000);
  } finally {
    await engine.close();
  }
}, 40_000);

test('a host that does not get ready in time: a crashed verdict that says so, and no host left', async () => {
  const engine = new EngineRunner({ maxWorkers: 2, startupLimitMs: 200 });
  try {
    await writeFile(file(learner, '01_basics/fails.ts'), passing);
    const v = await engine.check(target('fails'));
    expect(v.status).toBe('crashed');
    expect(v.status === 'crashed' && v.how).toMatch(/check process could not start \(it was not ready after 200 ms\); save again/);
    await new Promise((r) => setTimeout(r, 300));
    expect(ourHosts()).toEqual([]);
  } finally {
    await engine.close();
  }
});

test('a blocked loop is diagnosed ~2 s after the loop stops turning, not at the timeout; a free loop that waits is not', async () => {
  // Long timeouts: only the worker's beats can tell these two apart before 20 s.
  const long = file(scratch, 'course-long');
  await cp(file(scratch, 'course'), long, { recursive: true });
  const toml = await readFile(file(long, 'info.toml'), 'utf8');
  await writeFile(
    file(long, 'info.toml'),
    toml.replace(/(name = "infinite_loop"\ndir = "02_hangs"\ntimeout_ms = )1000/, '$120000').replace(/(name = "never_settles"\ndir = "02_hangs"\ntimeout_ms = )1000/, '$14000'),
  );
  // ...and the waiting test installs fake timers (as several course checks do), which fake Date.
  const waitTest = file(long, 'exercises/02_hangs/never_settles.test.ts');
  await writeFile(waitTest, (await readFile(waitTest, 'utf8')).replace("import { expect, test } from 'vitest';", "import { expect, test, vi } from 'vitest';\nvi.useFakeTimers();"));
  const course = await loadCourse(long);
  const at = (name: string): CheckTarget => ({ courseRoot: long, exercise: course.course.exercises.find((e) => e.name === name)!, learner: { dir: learner, displayBase: scratch } });
  expect(at('infinite_loop').exercise.timeoutMs).toBe(20_000);
  const engine = new EngineRunner({ maxWorkers: 2 });
  try {
    await engine.hostPid();
    for (const name of ['infinite_loop', 'never_settles']) await writeFile(file(learner, `02_hangs/${name}.ts`), await readFile(file(long, `exercises/02_hangs/${name}.ts`), 'utf8'));
    const started = Date.now();
    const blocked = await engine.check(at('infinite_loop'));
    expect(blocked.status === 'timeout' && blocked.diagnosis.kind).toBe('blocked-event-loop');
    expect(blocked.status === 'timeout' && blocked.diagnosis.message).toMatch(/for 2\.\d s no timer/);
    expect(Date.now() - started).toBeLessThan(12_000);
    // Waiting 4 s on a promise that never settles: the loop turns all along, so it is not "blocked".
    const waiting = await engine.check(at('never_settles'));
    expect(waiting.status === 'timeout' && waiting.diagnosis.kind).toBe('never-settled');
  } finally {
    await engine.close();
  }
}, 60_000);

test('a chatty learner file (10 000 console lines) passes with its last lines shown, and the runner stays up', async () => {
  const engine = new EngineRunner({ maxWorkers: 2 });
  try {
    await writeFile(file(learner, '01_basics/fails.ts'), 'export function add(a: number, b: number): number {\n  for (let i = 0; i < 5000; i++) console.log(`line ${i}`);\n  return a + b;\n}\n');
    const v = await engine.check(target('fails'));
    expect(v.status).toBe('passed');
    expect(v.console).toHaveLength(201);
    expect(v.console[0]).toBe('… 9800 earlier lines not shown');
    expect(v.console.at(-1)).toBe('line 4999');
    await writeFile(file(learner, '01_basics/fails.ts'), failing);
    expect((await engine.check(target('fails'))).status).toBe('failed');
  } finally {
    await engine.close();
  }
}, 30_000);
