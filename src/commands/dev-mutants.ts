import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatProblem, type Problem } from '../core/course-parse.js';
import type { Exercise } from '../core/course-schema.js';
import type { Verdict } from '../core/verdict.js';
import { DEFAULT_TIMEOUT_MS, type CheckTarget } from '../node/engine/index.js';
import type { LoadedCourse } from '../node/course-loader.js';
import { writeFileAtomic } from '../node/fs-utils.js';
import { generateMutants, loadInstrumenter, type Mutant } from '../node/mutants/generate.js';
import { markFor, marksFile, parseMarks, scoreExercise, scoreTable, survivorLine, type ExerciseScore, type Mark, type Outcome } from '../node/mutants/score.js';
import { plural, type Ctx } from './context.js';

/** Per exercise, at least this share of mutants must be killed or marked equivalent. */
export const MUTATION_TARGET = 85;
// Mutants per engine batch (tests make it smaller). A mutant that blocks the event loop makes the
// host cancel its batch, and the engine re-runs the rest of that batch one by one; small batches
// bound that cost.
const BATCH = 24;
// A mutant often loops or never settles, so each gets a timeout from how long the solution's
// slowest test took (with room for a loaded machine), not the exercise's full one.
const MIN_TIMEOUT_MS = 1500;
const timeoutFor = (e: Exercise, solution: Verdict) =>
  Math.min(e.timeoutMs ?? DEFAULT_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, Math.ceil(4 * Math.max(0, ...solution.tests.map((t) => t.durationMs)) + 500)));

export type Instrumenter = Awaited<ReturnType<typeof loadInstrumenter>>;
export { loadInstrumenter };

export interface MutationRun {
  rows: ExerciseScore[];
  problems: string[];
  mutants: number;
  ms: number;
}

async function readMarks(loaded: LoadedCourse, e: Exercise, problems: Problem[]): Promise<Mark[]> {
  const text = await readFile(path.join(loaded.root, marksFile(e.name)), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const parsed = parseMarks(text);
  if ('marks' in parsed) return parsed.marks;
  for (const message of parsed.problems) problems.push({ exercise: e.name, field: marksFile(e.name), message });
  return [];
}

/**
 * Mutation testing: each mutant of a reference solution is run as a wrong answer would be, and is
 * killed when its verdict is anything but `passed`. Only exercises whose solution passed
 * (`solutions`, from dev check) are mutated: a mutant of a failing solution proves nothing.
 */
export async function runMutants(
  ctx: Ctx,
  loaded: LoadedCourse,
  instrumenter: Instrumenter,
  solutions: ReadonlyMap<string, Verdict>,
  say: (line: string) => void,
  batch = BATCH,
): Promise<MutationRun> {
  const started = Date.now();
  const problems: Problem[] = [];
  const rows: ExerciseScore[] = [];
  const exercises = loaded.course.exercises.filter((e) => solutions.get(e.name)?.status === 'passed');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'async-lessons-mutants-'));
  const runner = ctx.makeRunner();
  let total = 0;
  try {
    for (const e of exercises) {
      const t0 = Date.now();
      const files = await Promise.all(e.learnerFiles.map(async (file) => ({ file, content: await readFile(path.join(loaded.root, 'solutions', file), 'utf8') })));
      const mutants = await generateMutants(instrumenter, files);
      total += mutants.length;
      const exercise: Exercise = { ...e, timeoutMs: timeoutFor(e, solutions.get(e.name)!) };
      const outcomes: Outcome[] = [];
      for (let from = 0; from < mutants.length; from += batch) {
        const chunk = mutants.slice(from, from + batch);
        const targets: CheckTarget[] = [];
        for (const [j, m] of chunk.entries()) {
          // A folder of its own for each mutant. Reusing a batch's folders (so the engine would
          // re-place its slots in place) was faster, but a test then sometimes ran against the
          // previous batch's mutant in that slot: verdicts must never depend on what ran before.
          const dir = path.join(scratch, e.name, String(from + j));
          await writeMutant(loaded.root, e, m, dir);
          targets.push({ courseRoot: loaded.root, exercise, learner: { dir, displayBase: dir } });
        }
        const verdicts = await runner.checkMany(targets);
        for (const [j, v] of verdicts.entries()) outcomes.push({ mutant: chunk[j]!, status: v.status });
      }
      await rm(path.join(scratch, e.name), { recursive: true, force: true });
      const row = scoreExercise(e.name, outcomes, await readMarks(loaded, e, problems));
      for (const message of row.problems) problems.push({ exercise: e.name, field: marksFile(e.name), message });
      rows.push(row);
      say(ctx.style.dim(`  ${e.name}: ${plural(mutants.length, 'mutant')}, ${row.survived} surviving (${((Date.now() - t0) / 1000).toFixed(1)} s)`));
    }
  } finally {
    await runner.close();
    await rm(scratch, { recursive: true, force: true });
  }
  return { rows, problems: problems.map(formatProblem), mutants: total, ms: Date.now() - started };
}

/** The solution's learner files with one of them mutated. */
async function writeMutant(root: string, e: Exercise, m: Mutant, dir: string): Promise<void> {
  for (const rel of e.learnerFiles) {
    const text = rel === m.file ? m.source : await readFile(path.join(root, 'solutions', rel), 'utf8');
    await writeFileAtomic(path.join(dir, rel), text);
  }
}

/** The report a person reads: the table, each survivor as a one-line diff, how to mark one, untrue marks. */
export function mutationReport(ctx: Ctx, run: MutationRun): string[] {
  const lines = ['', ...scoreTable(run.rows, MUTATION_TARGET)];
  const withSurvivors = run.rows.filter((r) => r.survivors.length > 0);
  for (const r of withSurvivors) {
    lines.push('', `${ctx.style.bold(r.exercise)}: ${plural(r.survivors.length, 'surviving mutant')}`);
    for (const m of r.survivors) lines.push(`  ${survivorLine(m)}`);
  }
  const first = withSurvivors[0]?.survivors[0];
  if (first) {
    lines.push(
      '',
      ctx.style.dim('A survivor shows a mistake the checks let through: strengthen the checks. Only one that no check could ever tell'),
      ctx.style.dim(`apart from the solution is marked, with its reason, in ${marksFile('<exercise>')} (--json gives every key):`),
      ...markFor(first).trimEnd().split('\n').map((l) => ctx.style.dim(`  ${l}`)),
    );
  }
  const below = run.rows.filter((r) => r.score < MUTATION_TARGET).length;
  lines.push(
    '',
    ...run.problems.map((p) => `${ctx.style.red('✗')} ${p}`),
    `${plural(run.mutants, 'mutant')} of ${plural(run.rows.length, 'exercise')} in ${(run.ms / 1000).toFixed(1)} s; ` +
      `${run.rows.length - below} of ${run.rows.length} at or above ${MUTATION_TARGET} % killed or marked equivalent.`,
  );
  return lines;
}

/** The same as data, for --json (mutant sources left out). */
export const mutationJson = (run: MutationRun) => ({
  target: MUTATION_TARGET,
  mutants: run.mutants,
  ms: run.ms,
  exercises: run.rows.map(({ survivors, problems: _, ...row }) => ({ ...row, survivors: survivors.map(({ source: _s, ...m }) => m) })),
});
