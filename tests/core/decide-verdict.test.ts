import { describe, expect, test } from 'vitest';
import { decideRun, decideVerdict, placeCompileError, withStuckSite, type RunFacts, type TypesAnswer } from '../../src/core/decide-verdict.js';
import type { TestResult, TypeDiagnostic, Verdict } from '../../src/core/verdict.js';

const pass = (name: string): TestResult => ({ name, state: 'passed', durationMs: 1 });
const fail = (name: string, message = 'expected 1 to be 2'): TestResult => ({ name, state: 'failed', durationMs: 1, message });
const timeout = (name: string, ms = 5000): TestResult => fail(name, `Test timed out in ${ms}ms.\nIf this is a long-running test, pass a timeout value`);
const frame = { file: 'exercises/t/x.ts', line: 3, column: 5, lines: [{ n: 3, text: 'x' }] };

const facts = (over: Partial<RunFacts> = {}): RunFacts => ({
  exercise: 'x',
  durationMs: 12.4,
  tests: [pass('a'), pass('b')],
  console: [],
  end: { kind: 'finished' },
  reported: true,
  unhandled: [],
  ...over,
});

const decided = (over: Partial<RunFacts>) => {
  const v = decideRun(facts(over));
  return [v.status, 'code' in v ? v.code : 'diagnosis' in v ? v.diagnosis.kind : undefined];
};

describe('decideRun: the most telling cause wins', () => {
  test.each<[string, Partial<RunFacts>, [string, string | undefined]]>([
    ['all passed', {}, ['passed', undefined]],
    ['one failed', { tests: [pass('a'), fail('b')] }, ['failed', undefined]],
    ['a blocked loop outranks everything the report says', { end: { kind: 'blocked', afterMs: 2100, test: 'b' }, tests: [fail('b')], moduleFailure: { kind: 'threw', message: 'x' } }, ['timeout', 'blocked-event-loop']],
    ['a crash with nothing reported', { end: { kind: 'crashed', how: 'died', output: [] }, reported: false }, ['crashed', undefined]],
    ['a crash after the report still shows the report', { end: { kind: 'crashed', how: 'died', output: [] }, tests: [fail('a')] }, ['failed', undefined]],
    ['a syntax error', { moduleFailure: { kind: 'syntax', message: 'Unexpected token' }, tests: [] }, ['compile-error', undefined]],
    ['process.exit at import is a crash, never a pass', { moduleFailure: { kind: 'exit', message: 'process.exit unexpectedly called with "0"' }, tests: [] }, ['crashed', undefined]],
    ['a throw at import', { moduleFailure: { kind: 'threw', message: 'boom' }, tests: [] }, ['failed', 'load-error']],
    ['a vitest timeout is a never-settled promise', { tests: [pass('a'), timeout('b')] }, ['timeout', 'never-settled']],
    ['a dead worker', { unhandled: [{ message: 'Worker exited unexpectedly', workerDied: true }] }, ['crashed', undefined]],
    ['an unhandled rejection fails even when every test passed', { unhandled: [{ type: 'Unhandled Rejection', message: 'nope', workerDied: false }] }, ['failed', 'unhandled-error']],
    ['not in the report', { reported: false, tests: [] }, ['failed', 'not-run']],
    ['no tests', { tests: [] }, ['failed', 'no-tests']],
    ['a skipped test', { tests: [pass('a'), { name: 'b', state: 'skipped', durationMs: 0 }] }, ['failed', 'tests-skipped']],
    ['a skipped and a failed test: the failure speaks', { tests: [fail('a'), { name: 'b', state: 'skipped', durationMs: 0 }] }, ['failed', undefined]],
  ])('%s', (_what, over, expected) => {
    expect(decided(over)).toEqual(expected);
  });

  test('the diagnosis names the test and the place', () => {
    const blocked = decideRun(facts({ end: { kind: 'blocked', afterMs: 2345, test: undefined, loading: true } }));
    expect(blocked).toMatchObject({ status: 'timeout', diagnosis: { kind: 'blocked-event-loop' } });
    expect(blocked.status === 'timeout' && blocked.diagnosis.message).toMatch(/while the exercise was loading .* for 2\.3 s/);
    const never = decideRun(facts({ tests: [timeout('waits', 1500)] }));
    expect(never).toMatchObject({ diagnosis: { kind: 'never-settled', test: 'waits' } });
    expect(never.status === 'timeout' && never.diagnosis.message).toMatch(/waited 1\.5 s/);
  });

  test('work left running after a pass is a warning, not a failure', () => {
    const v = decideRun(facts({ openHandles: 'Timeout' }));
    expect(v.status).toBe('passed');
    expect(v.warnings.join()).toMatch(/left work running .*Timeout/);
    expect(v.durationMs).toBe(12);
  });
});

const passed: Verdict = { exercise: 'x', status: 'passed', durationMs: 10, tests: [pass('a'), pass('b')], console: [], warnings: [] };
const failed: Verdict = { ...passed, status: 'failed', tests: [pass('a'), fail('b')] };
const diag = (file: string, code = 2322): TypeDiagnostic => ({ code, message: 'nope', frame: { ...frame, file } });
const answer = (...d: TypeDiagnostic[]): TypesAnswer => ({ diagnostics: d, ms: 5 });
const mine = new Set(['exercises/t/x.ts']);

describe('decideVerdict: types and the expected tests have their say', () => {
  test('a type error in the learner file keeps a passing runtime exercise from counting', () => {
    expect(decideVerdict(passed, answer(diag('exercises/t/x.ts')), { kind: 'runtime', learnerFiles: mine }).status).toBe('type-error');
  });
  test("a runtime exercise's check files are not the learner's business", () => {
    const v = decideVerdict(passed, answer(diag('exercises/t/x.test.ts')), { kind: 'runtime', learnerFiles: mine });
    expect(v).toMatchObject({ status: 'passed', durationMs: 15 });
  });
  test('types exercises count every diagnostic, fixtures included', () => {
    expect(decideVerdict(passed, answer(diag('exercises/t/x.types.ts', 2578)), { kind: 'types', learnerFiles: mine }).status).toBe('type-error');
  });
  test("a failing run stands whatever the types say; the learner's own type errors come along as a likely cause", () => {
    const v = decideVerdict(failed, answer(diag('exercises/t/x.ts')), { kind: 'mixed', learnerFiles: mine });
    expect(v.status).toBe('failed');
    expect(v.tests).toBe(failed.tests);
    expect(v.typeErrors?.map((e) => e.frame?.file)).toEqual(['exercises/t/x.ts']);
    // Only the learner's files: a check file's diagnostics are not theirs to fix.
    expect(decideVerdict(failed, answer(diag('exercises/t/x.test.ts')), { kind: 'runtime', learnerFiles: mine })).toBe(failed);
    // No answer (a batch did not ask): nothing rides along.
    expect(decideVerdict(failed, undefined, { kind: 'runtime', learnerFiles: mine })).toBe(failed);
  });
  test('a compile error names its one cause: no type errors ride along', () => {
    const broken: Verdict = { exercise: 'x', status: 'compile-error', message: 'Unexpected token', durationMs: 1, tests: [], console: [], warnings: [] };
    expect(decideVerdict(broken, answer(diag('exercises/t/x.ts')), { kind: 'runtime', learnerFiles: mine })).toBe(broken);
  });
  test('a type checker that stopped answering is a crash, not a pass', () => {
    expect(decideVerdict(passed, 'stopped', { kind: 'mixed', learnerFiles: mine }).status).toBe('crashed');
  });
  test('every expected test must have run and passed', () => {
    const v = decideVerdict(passed, undefined, { kind: 'runtime', learnerFiles: mine, expectedTests: ['a', 'b', 'c'] });
    expect(v).toMatchObject({ status: 'failed', code: 'expected-tests-missing' });
    expect(decideVerdict(passed, undefined, { kind: 'runtime', learnerFiles: mine, expectedTests: ['b', 'a'] }).status).toBe('passed');
  });
});

test('placeCompileError takes the first syntax diagnostic in the learner file', () => {
  const v: Verdict & { status: 'compile-error' } = { ...passed, status: 'compile-error', message: 'Unexpected token' };
  const placed = placeCompileError(v, answer(diag('exercises/t/x.test.ts', 1005), diag('exercises/t/x.ts', 2304), { ...diag('exercises/t/x.ts', 1128), frame: { ...frame, line: 9 } }), mine);
  expect(placed).toMatchObject({ frame: { file: 'exercises/t/x.ts', line: 9 } });
  expect(placeCompileError(v, 'stopped', mine)).toBe(v);
});

describe('a never-settled test and where it is stuck', () => {
  const site = { file: 'exercises/t/x.ts', line: 7, column: 9, lines: [{ n: 7, text: '  await ready;' }] };
  test('a diagnostic run that found the place names it, with its code, and makes it the frame', () => {
    const v = decideRun(facts({ tests: [timeout('waits', 2000)], pending: { test: 'waits', sites: [{ ...site, line: 3, lines: [] }, site] } }));
    expect(v.status === 'timeout' && v.diagnosis.frame).toEqual(site);
    expect(v.status === 'timeout' && v.diagnosis.message).toMatch(/still waiting at exercises\/t\/x\.ts:7 \(`await ready;`\): nothing ever resolved/);
  });
  test("sites found for another test are not this one's", () => {
    const v = decideRun(facts({ tests: [timeout('waits')], pending: { test: 'other', sites: [site] } }));
    expect(v.status === 'timeout' && v.diagnosis.frame).toBeUndefined();
  });
  test('withStuckSite keeps the first run\'s wait and adds the place', () => {
    const first = decideRun(facts({ tests: [pass('a'), timeout('waits', 5000)] }));
    if (first.status !== 'timeout') throw new Error('expected a timeout');
    const v = withStuckSite(first, site);
    expect(v.status === 'timeout' && v.diagnosis).toMatchObject({ kind: 'never-settled', test: 'waits', frame: site });
    expect(v.status === 'timeout' && v.diagnosis.message).toMatch(/waited 5 s .*x\.ts:7/);
    expect(v.tests).toBe(first.tests);
  });
});
