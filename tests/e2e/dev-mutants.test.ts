import { cp } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { cli, repoRoot, tempDir } from '../helpers.js';

// tests/fixtures/mutants-course: clamp's checks never try a number above the range, and its
// equivalent-mutants.toml holds one true mark, one on a mutant the checks kill, one stale.
async function copyOfMutantsCourse(): Promise<string> {
  const dir = path.join(await tempDir('al-mutants-'), 'course');
  await cp(path.join(repoRoot, 'tests/fixtures/mutants-course'), dir, { recursive: true });
  return dir;
}

test('dev check --mutants scores each exercise, shows survivors as diffs, and reports marks that are not true', async () => {
  const course = await copyOfMutantsCourse();
  const r = await cli(['dev', 'check', '--mutants', '--no-lock'], { cwd: course });
  expect(r.code, r.all).toBe(1);
  expect(r.stdout).toContain('✓ 1 exercise proven (3 runs).');
  expect(r.stdout).toMatch(/exercise +mutants +killed +by types +equivalent +survived +score\nclamp +9 +6 +0 +1 +2 +77\.7 % +✗ below 85 %\ntotal +9 +6 +0 +1 +2 +77\.7 %/);
  expect(r.stdout).toContain('clamp: 2 surviving mutants\n  solutions/01_clamp/clamp.ts:3  - n > hi  + false  (ConditionalExpression)\n  solutions/01_clamp/clamp.ts:3  - n > hi  + n >= hi  (EqualityOperator)');
  expect(r.stdout).toContain(
    '✗ exercise clamp: wrong-answers/clamp/equivalent-mutants.toml: ConditionalExpression "n < lo" → "false" in "if (n < lo) return lo;" is marked equivalent but killed (failed at 01_clamp/clamp.ts:2): remove the mark',
  );
  expect(r.stdout).toContain('✗ exercise clamp: wrong-answers/clamp/equivalent-mutants.toml: marks EqualityOperator "n < low" → "n <= low" in "if (n < low) return low;", which matches no mutant now');
  expect(r.stdout).toMatch(/remove or refresh the mark\n9 mutants of 1 exercise in [\d.]+ s; 0 of 1 at or above 85 % killed or marked equivalent\.\n2 problems and 1 exercise below 85 % found\./);
});

test('dev check --mutants --json gives each survivor its key, for a mark', async () => {
  const course = await copyOfMutantsCourse();
  const r = await cli(['dev', 'check', '--mutants', '--no-lock', '--json'], { cwd: course });
  expect(r.code, r.all).toBe(1);
  const out = JSON.parse(r.stdout);
  expect(out.ok).toBe(false);
  expect(out.problems).toHaveLength(2);
  expect(out.mutation.exercises).toEqual([
    expect.objectContaining({ exercise: 'clamp', mutants: 9, killed: 6, equivalent: 1, survived: 2, score: 77.7 }),
  ]);
  expect(out.mutation.exercises[0].survivors[0]).toEqual({
    file: '01_clamp/clamp.ts',
    line: 3,
    mutator: 'ConditionalExpression',
    original: 'n > hi',
    replacement: 'false',
    context: 'if (n > hi) return hi;',
  });
});

test('--only names the exercises to check and mutate; an unknown name is a usage error', async () => {
  const course = await copyOfMutantsCourse();
  const unknown = await cli(['dev', 'check', '--mutants', '--only', 'clamp,clam'], { cwd: course });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('There is no exercise named "clam".');
});
