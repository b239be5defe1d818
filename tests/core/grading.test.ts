import { describe, expect, test } from 'vitest';
import { absentFrom, checkRoster, gradeExercise, gradeStudent, madeWithOther, noSubmission, oneLine, parsePoints, parseRoster, selectExercises, studentIds, ungradable, type ExerciseInput } from '../../src/core/grading.js';
import type { Verdict } from '../../src/core/verdict.js';
import { describeChanges } from '../../src/harness/builtins.js';

const ex = { name: 'join', dir: '03_combinators', points: 3 };
const base = { exercise: 'join', durationMs: 812, tests: [], console: ['noise'], warnings: [] };
const frame = (file: string, line: number, column = 1) => ({ file, line, column, lines: [] });
const v = (verdict: Record<string, unknown>): ExerciseInput => ({ kind: 'verdict', verdict: { ...base, ...verdict } as unknown as Verdict });

describe('gradeExercise: one rule per outcome', () => {
  test.each<[string, ExerciseInput, Record<string, unknown>]>([
    ['a pass earns the points', v({ status: 'passed', tests: [{ name: 't', state: 'passed', durationMs: 3 }] }), { status: 'passed', points: 3, tests: [{ name: 't', state: 'passed' }] }],
    [
      'a failure names its first failing test and message (first line only)',
      v({ status: 'failed', tests: [{ name: 'ok', state: 'passed', durationMs: 1 }, { name: 'polls once', state: 'failed', durationMs: 2, message: 'expected 2 to be 1\n  at line 5', diff: 'x' }, { name: 'later', state: 'failed', durationMs: 2, message: 'other' }] }),
      { status: 'failed', points: 0, reason: 'polls once: expected 2 to be 1', firstFailure: { test: 'polls once', message: 'expected 2 to be 1' } },
    ],
    ['a load error is the reason when no test failed', v({ status: 'failed', code: 'load-error', reason: 'the exercise threw', loadError: { message: 'boom\nstack' } }), { status: 'failed', points: 0, reason: 'boom' }],
    ['a failure with only a reason keeps it', v({ status: 'failed', code: 'expected-tests-missing', reason: '1 expected test did not run: "x".' }), { status: 'failed', reason: '1 expected test did not run: "x".' }],
    ['a compile error says where', v({ status: 'compile-error', message: 'Expected `,`', frame: frame('exercises/a/join.ts', 2, 33) }), { status: 'compile-error', points: 0, reason: 'exercises/a/join.ts:2:33: Expected `,`' }],
    ['a type error gives the first one', v({ status: 'type-error', errors: [{ code: 2322, message: "Type 'string' is not assignable", frame: frame('exercises/a/join.ts', 4) }, { code: 1, message: 'x' }] }), { status: 'type-error', reason: "exercises/a/join.ts:4: TS2322 Type 'string' is not assignable" }],
    [
      'a hang is said from its kind, never its measured seconds',
      v({ status: 'timeout', diagnosis: { kind: 'blocked-event-loop', test: 'counts', message: 'for 2.6 s no timer could run' } }),
      { status: 'timeout', diagnosis: 'blocked-event-loop', reason: 'blocked the event loop (test "counts")' },
    ],
    ['a never-settled promise', v({ status: 'timeout', diagnosis: { kind: 'never-settled', message: 'waited 1 s' } }), { status: 'timeout', diagnosis: 'never-settled', reason: 'a promise never settled' }],
    ['a crash is never a pass', v({ status: 'crashed', how: 'your code called process.exit() while loading', lastOutput: ['x'] }), { status: 'crashed', points: 0, reason: 'your code called process.exit() while loading' }],
    ['missing files are named', { kind: 'missing', files: ['exercises/a/join.ts', 'exercises/a/util.ts'] }, { status: 'missing', points: 0, reason: 'exercises/a/join.ts, exercises/a/util.ts are not in the submission' }],
    ['a refused file keeps its reason', { kind: 'refused', reason: 'exercises/a/join.ts is a symbolic link' }, { status: 'refused', points: 0, reason: 'exercises/a/join.ts is a symbolic link' }],
    ['not graded', { kind: 'not-graded', reason: 'not a workspace' }, { status: 'not-graded', points: 0, reason: 'not a workspace' }],
  ])('%s', (_, input, expected) => {
    const g = gradeExercise(ex, input);
    expect(g).toMatchObject({ exercise: 'join', topic: '03_combinators', max: 3, tampered: [], ...expected });
    // Nothing that varies run to run: no durations, no console.
    expect(JSON.stringify(g)).not.toMatch(/durationMs|noise|2\.6 s/);
  });

  test('a file that rewrote built-ins gets no points and names what it changed, whatever else its tests said', () => {
    const said = describeChanges([{ kind: 'replaced', name: 'Object.is' }, { kind: 'deleted', name: 'JSON.stringify' }, { kind: 'reshaped', name: 'Promise.all' }]);
    const tests = [{ name: 'ok', state: 'failed', durationMs: 1, message: 'expected 1 to be 2' }, { name: 'polls', state: 'failed', durationMs: 1, message: `Error: ${said}` }];
    const g = gradeExercise(ex, v({ status: 'failed', tests }));
    expect(g).toMatchObject({ status: 'rewrote-builtins', points: 0, rewrote: ['replaced Object.is', 'deleted JSON.stringify', 'changed the shape of Promise.all'], reason: 'rewrote built-ins: replaced Object.is, deleted JSON.stringify, changed the shape of Promise.all' });
    expect(g.firstFailure).toBeUndefined();
    // Said once, at load (no test ran), it is the same rule.
    const one = describeChanges([{ kind: 'replaced', name: 'Array.prototype.includes' }]);
    expect(gradeExercise(ex, v({ status: 'failed', code: 'load-error', reason: 'the exercise threw', loadError: { message: one } }))).toMatchObject({ status: 'rewrote-builtins', rewrote: ['replaced Array.prototype.includes'] });
    // A failure that names no built-in stays a failure.
    expect(gradeExercise(ex, v({ status: 'failed', tests: [tests[0]] })).status).toBe('failed');
  });

  test('output caps: megabytes of console, message and test name leave a bounded row (a few hundred bytes a field)', () => {
    const name = `case ${'n'.repeat(1_000_000)}`;
    const tests = [{ name, state: 'failed', durationMs: 1, message: 'm'.repeat(2_000_000) }, { name, state: 'passed', durationMs: 1 }];
    const g = gradeExercise(ex, v({ status: 'failed', tests, console: Array.from({ length: 200 }, () => 'c'.repeat(100_000)) }));
    expect(JSON.stringify(g).length).toBeLessThan(2000);
    expect(g.firstFailure!.test).toHaveLength(160);
    expect(g.reason).toMatch(/^case n+…: m+…$/);
    const hang = gradeExercise(ex, v({ status: 'timeout', diagnosis: { kind: 'never-settled', test: name, message: 'x' } }));
    expect(hang.reason!.length).toBeLessThan(200);
  });

  test('tampering is a flag beside the grade, sorted: the pristine checks decided the grade', () => {
    expect(gradeExercise(ex, v({ status: 'passed' }), ['b.test.ts', 'a.types.ts'])).toMatchObject({ status: 'passed', points: 3, tampered: ['a.types.ts', 'b.test.ts'] });
    expect(gradeExercise(ex, v({ status: 'failed', tests: [] }), ['b.test.ts'])).toMatchObject({ status: 'failed', points: 0, tampered: ['b.test.ts'] });
  });
});

describe('students', () => {
  test('points and maxima are summed; course order is kept', () => {
    const a = gradeExercise({ name: 'a', dir: 't', points: 1 }, v({ status: 'passed' }));
    const b = gradeExercise({ name: 'b', dir: 't', points: 2 }, { kind: 'missing', files: ['x'] });
    expect(gradeStudent('ann', [a, b], ['p'], ['z', 'y'])).toMatchObject({ student: 'ann', points: 1, max: 3, problems: ['p'], tampered: ['y', 'z'], exercises: [{ exercise: 'a' }, { exercise: 'b' }] });
  });

  test('an ungradable submission keeps its row, every exercise not graded for the reason', () => {
    const s = ungradable('bob', [{ name: 'a', dir: 't', points: 2 }], 'bob is not a workspace');
    expect(s).toMatchObject({ points: 0, max: 2, problems: ['bob is not a workspace'], exercises: [{ status: 'not-graded', reason: 'bob is not a workspace' }] });
  });

  test.each([
    [[{ name: 'bo', path: '/b/bo' }, { name: 'Al', path: '/a/Al' }, { name: 'al', path: '/a/al' }], ['Al', 'al', 'bo']],
    [[{ name: 'al', path: '/z/al' }, { name: 'al', path: '/a/al' }], ['al', 'al~2']],
  ])('ids from folder names, in code-unit order: %j', (folders, ids) => {
    const out = studentIds(folders);
    expect(out.map((o) => o.id)).toEqual(ids);
    if (ids.includes('al~2')) expect(out[0]!.path).toBe('/a/al');
  });
});

describe('selectExercises (--only)', () => {
  const all = [{ name: 'a', dir: 't1' }, { name: 'b', dir: 't1' }, { name: 'c', dir: 't2' }];
  test.each([
    [undefined, ['a', 'b', 'c'], []],
    [['t2'], ['c'], []],
    [['c', 'a'], ['a', 'c'], []],
    [['t1', 'c'], ['a', 'b', 'c'], []],
    [['nope', 'a'], ['a'], ['nope']],
  ])('%j → %j', (only, names, unknown) => {
    const r = selectExercises(all, only);
    expect(r.selected.map((e) => e.name)).toEqual(names);
    expect(r.unknown).toEqual(unknown);
  });
});

test('oneLine keeps the first non-empty line, bounded', () => {
  expect(oneLine('\n  first \nsecond')).toBe('first');
  expect(oneLine('x'.repeat(400))).toHaveLength(300);
});

describe('--roster', () => {
  test.each<[string, string, string[] | string]>([
    ['one id a line, sorted, duplicates once', 'zoe\namy\n\n# dropped out: tom\namy\n', ['amy', 'zoe']],
    ['the first column without a header naming one', 'zoe,Zoe Z,zoe@x\namy,Amy A,amy@x\n', ['amy', 'zoe']],
    ['the column a header names', 'name,email,Login\nZoe Z,zoe@x,zoe\n"Amy, A",amy@x,amy\n', ['amy', 'zoe']],
    ['semicolons, a BOM, CRLF and quotes', '\uFEFFstudent;group\r\n"o""neil";1\r\nbea;2\r\n', ['bea', 'o"neil']],
    ['a header alone lists nobody', 'id,name\n', 'the roster lists no student'],
    ['an empty file', '\n\n', 'the roster lists no student'],
    ['a row without an id is named', 'id,name\namy,A\n,B\n', 'line 3 has no student id'],
  ])('%s', (_, text, want) => {
    const r = parseRoster(text);
    expect(r).toEqual(typeof want === 'string' ? { error: want } : { ids: want });
  });

  test('an absent student gets a row of missing; an unlisted one is flagged and keeps its grade', () => {
    const exercises = [{ name: 'a', dir: 't', points: 2 }, { name: 'b', dir: 't', points: 1 }];
    const roster = new Set(['amy', 'bob', 'cat']);
    expect(absentFrom(roster, ['bob', 'zed'])).toEqual(['amy', 'cat']);
    expect(absentFrom(undefined, ['bob'])).toEqual([]);
    expect(noSubmission('amy', exercises)).toMatchObject({ student: 'amy', points: 0, max: 3, noSubmission: true, problems: ['on the roster, but no submission was found'], exercises: [{ exercise: 'a', status: 'missing', reason: 'no submission', max: 2 }, { exercise: 'b', status: 'missing' }] });
    const zed = gradeStudent('zed', [gradeExercise(exercises[0]!, v({ status: 'passed' }))]);
    expect(checkRoster(zed, roster)).toEqual({ ...zed, notOnRoster: true });
    expect(checkRoster(zed, new Set(['zed']))).toBe(zed);
    expect(checkRoster(zed, undefined)).toBe(zed);
  });
});

describe('--points', () => {
  const known = ['join', 'select', 'spawn'];
  test.each<[string, string, 'toml' | 'json', Record<string, number> | string]>([
    ['TOML', 'join = 3\nselect = 0\n', 'toml', { join: 3, select: 0 }],
    ['JSON', '{ "spawn": 5 }', 'json', { spawn: 5 }],
    ['unknown names are named', 'join = 1\njoni = 2\nsleect = 3\n', 'toml', 'the course has no exercise named "joni", "sleect"'],
    ['points are whole and not negative', '{ "join": -1, "select": 1.5, "spawn": "2" }', 'json', 'points must be whole numbers, 0 or more: join = -1, select = 1.5, spawn = "2"'],
    ['not a table', '[1, 2]', 'json', 'it must map exercise names to points'],
  ])('%s', (_, text, format, want) => {
    const r = parsePoints(text, format, known);
    expect('points' in r ? { points: Object.fromEntries(r.points) } : r).toEqual(typeof want === 'string' ? { error: want } : { points: want });
  });
  test('a file that does not parse says so', () => {
    expect(parsePoints('join = = 3', 'toml', known)).toMatchObject({ error: expect.stringMatching(/^it is not valid TOML: /) });
    expect(parsePoints('{', 'json', known)).toMatchObject({ error: expect.stringMatching(/^it is not valid JSON: /) });
  });
});

test('madeWithOther flags another course or version, and nothing else', () => {
  const graded = { name: 'async-lessons', version: '1.2.0' };
  expect(madeWithOther({ name: 'async-lessons', version: '1.2.0', createdAt: 'x' }, graded)).toBeUndefined();
  expect(madeWithOther({ name: 'async-lessons', version: '1.2.0-beta' }, graded)).toEqual({ course: 'async-lessons', version: '1.2.0-beta' });
  expect(madeWithOther({ name: 'other', version: '1.2.0' }, graded)).toEqual({ course: 'other', version: '1.2.0' });
  for (const junk of [undefined, null, 'x', { name: 1, version: '1' }, {}]) expect(madeWithOther(junk, graded)).toBeUndefined();
  expect(madeWithOther({ name: 'a', version: `1\n${'9'.repeat(100)}` }, graded)?.version).toBe('1');
});
