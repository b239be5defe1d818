import { describe, expect, test } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import { generateMutants, loadInstrumenter, shorten, type Mutant } from '../../src/node/mutants/generate.js';
import { markFor, parseMarks, scoreExercise, scoreTable, survivorLine, type Mark } from '../../src/node/mutants/score.js';
import { repoRoot } from '../helpers.js';

const CLAMP = `export function clamp(n: number, lo: number, hi: number): number {
  if (n < lo) return lo;
  if (n > hi) return hi;
  return n;
}
`;

describe('generateMutants', () => {
  test("puts each replacement into the original text at the mutant's location, with a key that names no line", async () => {
    const mutants = await generateMutants(await loadInstrumenter(repoRoot), [{ file: '01_clamp/clamp.ts', content: CLAMP }]);
    expect(mutants.map((m) => `${m.line} ${m.mutator}: ${m.original} → ${m.replacement}`)).toEqual([
      '1 BlockStatement: { if (n < lo) return lo; if (n > hi) return hi; return n; } → {}',
      '2 ConditionalExpression: n < lo → true',
      '2 ConditionalExpression: n < lo → false',
      '2 EqualityOperator: n < lo → n <= lo',
      '2 EqualityOperator: n < lo → n >= lo',
      '3 ConditionalExpression: n > hi → true',
      '3 ConditionalExpression: n > hi → false',
      '3 EqualityOperator: n > hi → n >= hi',
      '3 EqualityOperator: n > hi → n <= hi',
    ]);
    const le = mutants[3]!;
    expect(le.source).toBe(CLAMP.replace('n < lo', 'n <= lo'));
    expect(le.context).toBe('if (n < lo) return lo;');
    expect(mutants[0]!.source).toBe('export function clamp(n: number, lo: number, hi: number): number {}\n');
    // Unrelated lines added above: the same keys.
    const moved = await generateMutants(await loadInstrumenter(repoRoot), [{ file: '01_clamp/clamp.ts', content: `// a comment\n\n${CLAMP}` }]);
    expect(moved.map(({ mutator, original, replacement, context }) => ({ mutator, original, replacement, context }))).toEqual(
      mutants.map(({ mutator, original, replacement, context }) => ({ mutator, original, replacement, context })),
    );
  });

  test('without the instrumenter installed, says how to install it', async () => {
    const error = await loadInstrumenter(repoRoot, '@stryker-mutator/not-installed').catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(String((error as { next?: string }).next)).toContain('install it with `npm i -D @stryker-mutator/not-installed@9`');
  });

  test('long code is shortened in the middle', () => {
    expect(shorten('x'.repeat(100))).toMatch(/^x{55} … x{20}$/);
  });
});

const mutant = (line: number, mutator: string, original: string, replacement: string, context: string): Mutant => ({
  file: '01_clamp/clamp.ts',
  line,
  mutator,
  original,
  replacement,
  context,
  source: '',
});
const le = mutant(2, 'EqualityOperator', 'n < lo', 'n <= lo', 'if (n < lo) return lo;');
const never = mutant(3, 'ConditionalExpression', 'n > hi', 'false', 'if (n > hi) return hi;');
const always = mutant(2, 'ConditionalExpression', 'n < lo', 'true', 'if (n < lo) return lo;');
const markOf = (m: Mutant, reason = 'no learner could tell'): Mark => ({ mutator: m.mutator, original: m.original, replacement: m.replacement, context: m.context, reason });

describe('scoreExercise', () => {
  test('counts killed, marked and surviving mutants, and keeps marks honest', () => {
    const stale = { ...markOf(le), context: 'if (n < low) return low;' };
    const row = scoreExercise('clamp', [{ mutant: le, status: 'passed' }, { mutant: never, status: 'passed' }, { mutant: always, status: 'failed' }], [markOf(le), markOf(always), stale]);
    expect(row).toMatchObject({ mutants: 3, killed: 1, equivalent: 1, survived: 1, score: 66.6, survivors: [never], verdicts: { failed: 1, passed: 2 } });
    expect(row.problems).toEqual([
      'ConditionalExpression "n < lo" → "true" in "if (n < lo) return lo;" is marked equivalent but killed (failed at 01_clamp/clamp.ts:2): remove the mark',
      'marks EqualityOperator "n < lo" → "n <= lo" in "if (n < low) return low;", which matches no mutant now (the solution changed?): remove or refresh the mark',
    ]);
  });

  test('an exercise without mutants scores 100; type errors are counted apart', () => {
    expect(scoreExercise('none', [], []).score).toBe(100);
    expect(scoreExercise('t', [{ mutant: never, status: 'type-error' }], []).byTypes).toBe(1);
  });

  test('the table lines up and flags exercises below the target; survivors are one-line diffs', () => {
    const rows = [scoreExercise('clamp', [{ mutant: le, status: 'passed' }, { mutant: always, status: 'failed' }], []), scoreExercise('other', [{ mutant: always, status: 'timeout' }], [])];
    expect(scoreTable(rows, 85)).toEqual([
      'exercise  mutants  killed  by types  equivalent  survived    score',
      'clamp           2       1         0           0         1   50.0 %  ✗ below 85 %',
      'other           1       1         0           0         0  100.0 %',
      'total           3       2         0           0         1   66.6 %',
    ]);
    expect(survivorLine(le)).toBe('solutions/01_clamp/clamp.ts:2  - n < lo  + n <= lo  (EqualityOperator)');
  });
});

describe('parseMarks', () => {
  test('reads what markFor writes, once it has a reason', () => {
    const written = markFor(le).replace('reason = "…"', 'reason = "at n === lo both give n"');
    expect(parseMarks(written)).toEqual({ marks: [markOf(le, 'at n === lo both give n')] });
  });

  test.each([
    ['a mark without a reason', markFor(le).replace('reason = "…"\n', ''), 'equivalent.0.reason'],
    ['an empty reason', markFor(le).replace('"…"', '"  "'), 'a mark needs a reason'],
    ['an unknown key', `${markFor(le)}line = 3\n`, 'line'],
    ['broken TOML', '[[equivalent]\n', 'is not valid TOML'],
  ])('reports %s', (_, text, problem) => {
    const parsed = parseMarks(text);
    expect('problems' in parsed && parsed.problems.join('\n')).toContain(problem);
  });
});
