import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Verdict } from '../../src/core/verdict.js';
import type { CheckTarget } from '../../src/node/engine/check-runner.js';
import { ExecCheckRunner } from '../../bench/cold/exec-runner.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { miniCourse } from '../helpers.js';

let loaded: LoadedCourse;
const runner = new ExecCheckRunner();
const verdicts = new Map<string, Verdict>();

const target = (name: string, from: 'exercises' | 'solutions' = 'exercises'): CheckTarget => ({
  courseRoot: loaded.root,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir: path.join(loaded.root, from), displayBase: loaded.root },
});

const OUTCOMES = ['passes', 'fails', 'syntax_error', 'type_error', 'infinite_loop', 'never_settles', 'exits_at_import', 'throws_at_import', 'unhandled_rejection'];

beforeAll(async () => {
  loaded = await loadCourse(miniCourse);
  // One batch, as verify runs it: a hang in one exercise must not cost the others their verdicts.
  const all = await runner.checkMany(OUTCOMES.map((n) => target(n)));
  all.forEach((v, i) => verdicts.set(OUTCOMES[i]!, v));
});
afterAll(() => runner.close());

describe('each outcome of the mini course gets its verdict', () => {
  test('passes', () => {
    const v = verdicts.get('passes')!;
    expect(v.status).toBe('passed');
    expect(v.tests.map((t) => t.name)).toEqual(['identity returns its input']);
  });

  test('an assertion failure carries expected, actual, diff, frame and console output', () => {
    const v = verdicts.get('fails')!;
    expect(v.status).toBe('failed');
    const t = v.tests.find((x) => x.name === 'adds two numbers')!;
    expect(t.message).toBe('add(1, 2) should be 3: expected -1 to be 3 // Object.is equality');
    expect(t.expected).toBe('3');
    expect(t.actual).toBe('-1');
    expect(t.diff).toContain('- 3');
    expect(t.diff).not.toMatch(/\u001b\[/);
    expect(t.frame).toMatchObject({ file: 'exercises/01_basics/fails.test.ts', line: 5 });
    expect(v.console).toEqual(['adding 1 and 2', 'adding 20 and 22']);
  });

  test('a syntax error is a compile error with the learner frame', () => {
    const v = verdicts.get('syntax_error')!;
    expect(v.status).toBe('compile-error');
    if (v.status !== 'compile-error') return;
    expect(v.message).toMatch(/Expected/);
    expect(v.frame).toMatchObject({ file: 'exercises/01_basics/syntax_error.ts', line: 2 });
    expect(v.message).not.toMatch(/\u001b\[/);
  });

  test('a types exercise with a type error', () => {
    const v = verdicts.get('type_error')!;
    expect(v.status).toBe('type-error');
    if (v.status !== 'type-error') return;
    expect(v.errors.map((e) => e.code)).toEqual([2322, 2349]);
    expect(v.errors[0]!.frame).toMatchObject({ file: 'exercises/01_basics/type_error.types.ts', line: 4 });
  });

  test('a synchronous infinite loop is diagnosed as a blocked event loop, naming the test', () => {
    const v = verdicts.get('infinite_loop')!;
    expect(v.status).toBe('timeout');
    if (v.status !== 'timeout') return;
    expect(v.diagnosis.kind).toBe('blocked-event-loop');
    expect(v.diagnosis.test).toBe('counts to ten');
    expect(v.diagnosis.message).toMatch(/blocked the event loop in test "counts to ten"/);
  });

  test('a promise that never settles is told apart from a blocked loop', () => {
    const v = verdicts.get('never_settles')!;
    expect(v.status).toBe('timeout');
    if (v.status !== 'timeout') return;
    expect(v.diagnosis.kind).toBe('never-settled');
    expect(v.diagnosis.test).toBe('resolves to 42');
  });

  test('process.exit at import is a crash verdict', () => {
    const v = verdicts.get('exits_at_import')!;
    expect(v.status).toBe('crashed');
    if (v.status === 'crashed') expect(v.how).toMatch(/process\.exit/);
  });

  test('a throw at import fails with the learner frame', () => {
    const v = verdicts.get('throws_at_import')!;
    expect(v.status).toBe('failed');
    if (v.status !== 'failed') return;
    expect(v.loadError?.message).toBe('boom while loading');
    expect(v.loadError?.frame).toMatchObject({ file: 'exercises/03_crashes/throws_at_import.ts', line: 3 });
  });

  test('an unhandled rejection fails an otherwise passing exercise', () => {
    const v = verdicts.get('unhandled_rejection')!;
    expect(v.status).toBe('failed');
    if (v.status !== 'failed') return;
    expect(v.reason).toMatch(/Unhandled Rejection during "starts"/);
    expect(v.loadError?.frame).toMatchObject({ file: 'exercises/03_crashes/unhandled_rejection.ts', line: 3 });
  });
});

test('a single check gives the same verdict as the batch', async () => {
  for (const name of ['fails', 'infinite_loop']) {
    const alone = await runner.check(target(name));
    expect(alone.status, name).toBe(verdicts.get(name)!.status);
    expect(alone.tests.map((t) => [t.name, t.state]), name).toEqual(verdicts.get(name)!.tests.map((t) => [t.name, t.state]));
  }
});

test('every solution passes', async () => {
  const names = OUTCOMES.filter((n) => n !== 'passes');
  const solved = await runner.checkMany(names.map((n) => target(n, 'solutions')));
  expect(solved.map((v) => `${v.exercise}:${v.status}`)).toEqual(names.map((n) => `${n}:passed`));
});

test('a missing expected test fails an otherwise passing check', async () => {
  const v = await runner.check({ ...target('fails', 'solutions'), expectedTests: ['adds two numbers', 'adds other numbers', 'a test that was removed'] });
  expect(v.status).toBe('failed');
  if (v.status === 'failed') expect(v.reason).toMatch(/1 expected test did not run: "a test that was removed"/);
});

test('an exercise file that imports vitest is refused with a clear message', async () => {
  const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'al-cheat-'));
  try {
    await mkdir(path.join(dir, '01_basics'));
    await writeFile(path.join(dir, '01_basics/fails.ts'), "import { test } from 'vitest';\nexport const add = (a: number, b: number) => a + b;\n");
    const v = await runner.check({ ...target('fails'), learner: { dir, displayBase: dir } });
    expect(v.status).toBe('failed');
    if (v.status === 'failed') expect(v.reason).toMatch(/may not import vitest/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
