import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { runMutants } from '../../src/commands/dev-mutants.js';
import type { Ctx } from '../../src/commands/context.js';
import type { Verdict } from '../../src/core/verdict.js';
import type { CheckRunner, CheckTarget } from '../../src/node/engine/check-runner.js';
import { loadCourse } from '../../src/node/course-loader.js';
import { loadInstrumenter } from '../../src/node/mutants/generate.js';
import { plainStyle } from '../../src/ui/style.js';
import { repoRoot } from '../helpers.js';

const course = path.join(repoRoot, 'tests/fixtures/mutants-course');

/** A runner that reads each mutant back from its folder: a stand-in for the engine's batches. */
function recordingCtx(seen: Array<{ dir: string; source: string }>): Ctx {
  const runner: CheckRunner = {
    check: () => Promise.reject(new Error('mutants run in batches')),
    async checkMany(targets: readonly CheckTarget[]) {
      const out: Verdict[] = [];
      for (const t of targets) {
        const source = await readFile(path.join(t.learner.dir, t.exercise.mainFile), 'utf8');
        seen.push({ dir: t.learner.dir, source });
        out.push({ exercise: t.exercise.name, status: source.includes('n >= hi') ? 'passed' : 'failed', durationMs: 0, tests: [], console: [], warnings: [] });
      }
      return out;
    },
    close: async () => {},
  };
  return { cwd: course, env: {}, style: plainStyle, interactive: false, print: () => {}, warn: () => {}, ask: async () => false, makeRunner: () => runner };
}

test('every mutant is checked from a folder of its own, so no verdict can see another mutant', async () => {
  const loaded = await loadCourse(course);
  const seen: Array<{ dir: string; source: string }> = [];
  const solution: Verdict = { exercise: 'clamp', status: 'passed', durationMs: 1, tests: [{ name: 't', state: 'passed', durationMs: 5 }], console: [], warnings: [] };
  // Batches of 4 over clamp's 9 mutants: three batches.
  const run = await runMutants(recordingCtx(seen), loaded, await loadInstrumenter(repoRoot), new Map([['clamp', solution]]), () => {}, 4);
  expect(seen).toHaveLength(9);
  expect(new Set(seen.map((s) => s.dir)).size).toBe(9);
  expect(new Set(seen.map((s) => s.source)).size).toBe(9);
  expect(run.rows[0]).toMatchObject({ mutants: 9, killed: 8, survived: 1, equivalent: 0 });
  expect(run.problems.some((p) => p.includes('is marked equivalent but killed'))).toBe(true);
});
