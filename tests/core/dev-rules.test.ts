import { describe, expect, test } from 'vitest';
import { hasTodo, judgeWrongAnswer, parseRejects } from '../../src/core/dev-rules.js';
import { capLines, codeFrame, type Verdict } from '../../src/core/verdict.js';

const base = { exercise: 'x', durationMs: 1, console: [], warnings: [] };
const failed = (names: string[]): Verdict => ({
  ...base,
  status: 'failed',
  tests: names.map((name) => ({ name, state: 'failed' as const, durationMs: 1, message: `boom in ${name}` })),
});

describe('judgeWrongAnswer', () => {
  test.each([
    ['accepted', { ...base, status: 'passed', tests: [] } as Verdict, 'keeps order', false],
    ['named test fails', failed(['keeps order']), 'keeps order', true],
    ['another test fails', failed(['runs at once']), 'keeps order', false],
    ['message matches', failed(['t']), 'boom in t', true],
    ['verdict kind', { ...base, status: 'timeout', tests: [], diagnosis: { kind: 'blocked-event-loop', message: 'm' } } as Verdict, 'timeout', true],
    ['wrong verdict kind', failed(['t']), 'timeout', false],
  ] as const)('%s', (_label, verdict, rejects, ok) => {
    expect(judgeWrongAnswer(verdict, rejects).ok).toBe(ok);
  });
});

test('parseRejects reads the first lines only', () => {
  expect(parseRejects('// @rejects keeps input order\n// why')).toBe('keeps input order');
  expect(parseRejects('a\nb\nc\nd\ne\n// @rejects late')).toBeUndefined();
});

test('hasTodo wants the word', () => {
  expect(hasTodo('// TODO: do it')).toBe(true);
  expect(hasTodo('// todos are done')).toBe(false);
});

test('codeFrame clips at the file edges', () => {
  const frame = codeFrame('f.ts', 'one\ntwo\nthree', 1, 2);
  expect(frame.lines).toEqual([
    { n: 1, text: 'one' },
    { n: 2, text: 'two' },
    { n: 3, text: 'three' },
  ]);
});

test('capLines keeps the last lines and says how many were dropped', () => {
  const lines = Array.from({ length: 205 }, (_, i) => `l${i}`);
  const capped = capLines(lines);
  expect(capped[0]).toBe('… 5 earlier lines not shown');
  expect(capped.at(-1)).toBe('l204');
  expect(capped).toHaveLength(201);
});
