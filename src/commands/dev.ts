import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatProblem, type Problem } from '../core/course-parse.js';
import type { Exercise } from '../core/course-schema.js';
import { hasTodo, judgeWrongAnswer } from '../core/dev-rules.js';
import { UserError } from '../core/errors.js';
import type { Verdict } from '../core/verdict.js';
import type { CheckTarget } from '../node/engine/index.js';
import { courseFileProblems, findExercise, type LoadedCourse } from '../node/course-loader.js';
import { readLock, writeLock, type CourseLock } from '../node/course-lock.js';
import { hashFile } from '../node/fs-utils.js';
import { convertToPatches, loadWrongAnswers, writeWrongAnswer } from '../node/wrong-answers.js';
import { verdictSummary } from '../ui/format-verdict.js';
import { courseOption, jsonOption, type Command } from './command.js';
import { openCourse, plural, type Ctx } from './context.js';
import { loadInstrumenter, MUTATION_TARGET, mutationJson, mutationReport, runMutants, type MutationRun } from './dev-mutants.js';

/** Proves a course: unsolved fails, solutions pass, wrong answers are rejected for their reason. */
export async function devCheck(
  ctx: Ctx,
  loaded: LoadedCourse,
  writeLockFile: boolean,
  say: (line: string) => void,
  only?: ReadonlySet<string>,
): Promise<{ problems: string[]; checked: number; solutions: Map<string, Verdict> }> {
  // With `only`, the course-wide file checks still run (a stray file is a problem whichever
  // exercise the author is working on), but only the named exercises are run.
  const chosen = (name: string) => only === undefined || only.has(name);
  const problems: Problem[] = (await courseFileProblems(loaded)).filter((p) => p.exercise === undefined || chosen(p.exercise));
  const missing = new Set(problems.filter((p) => /missing on disk/.test(p.message)).map((p) => p.exercise));
  for (const e of loaded.course.exercises) {
    if (missing.has(e.name) || !chosen(e.name)) continue;
    const sources = await Promise.all(e.learnerFiles.map((f) => readFile(path.join(loaded.root, 'exercises', f), 'utf8').catch(() => '')));
    if (!sources.some(hasTodo)) problems.push({ exercise: e.name, field: 'TODO', message: `exercises/${e.mainFile} has no TODO telling the learner what to do` });
  }
  const runnable = loaded.course.exercises.filter((e) => !missing.has(e.name) && chosen(e.name));
  const wrong = (await loadWrongAnswers(loaded, problems)).filter((w) => !missing.has(w.exercise.name) && chosen(w.exercise.name));
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'async-lessons-dev-'));
  try {
    const targets: CheckTarget[] = [];
    const what: string[] = [];
    for (const e of runnable) {
      if (!e.skipCheckUnsolved) {
        targets.push({ courseRoot: loaded.root, exercise: e, learner: { dir: path.join(loaded.root, 'exercises'), displayBase: loaded.root } });
        what.push(`unsolved:${e.name}`);
      }
      targets.push({ courseRoot: loaded.root, exercise: e, learner: { dir: path.join(loaded.root, 'solutions'), displayBase: loaded.root } });
      what.push(`solution:${e.name}`);
    }
    for (const [i, w] of wrong.entries()) {
      const dir = path.join(scratch, `w${i}`);
      await writeWrongAnswer(w, loaded.root, dir);
      targets.push({ courseRoot: loaded.root, exercise: w.exercise, learner: { dir, displayBase: dir } });
      what.push(`wrong:${w.exercise.name}/${w.label}`);
    }
    say(ctx.style.dim(`Checking ${plural(targets.length, 'run')} (${runnable.length} exercises, ${wrong.length} wrong answers)…`));
    const runner = ctx.makeRunner();
    let verdicts: Verdict[];
    try {
      verdicts = await runner.checkMany(targets);
    } finally {
      await runner.close();
    }
    // A partial check refreshes only its exercises' entries; the rest of the lock is kept as it was
    // (dropping entries of exercises no longer in the course).
    const previous = only ? await readLock(loaded.root) : undefined;
    const names = new Set(loaded.course.exercises.map((e) => e.name));
    const kept = Object.entries(previous?.exercises ?? {}).filter(([name]) => names.has(name) && !chosen(name));
    const lock: CourseLock = { format: 1, exercises: Object.fromEntries(kept) };
    const solutions = new Map<string, Verdict>();
    for (const [i, v] of verdicts.entries()) {
      const [kind, label] = what[i]!.split(/:(.*)/s) as [string, string];
      if (kind === 'unsolved' && v.status === 'passed') {
        problems.push({ exercise: v.exercise, field: 'checks', message: 'passes unmodified: its checks accept the starting code (set skip_check_unsolved if that is intended)' });
      } else if (kind === 'solution') {
        solutions.set(v.exercise, v);
        if (v.status !== 'passed') problems.push({ exercise: v.exercise, field: 'solution', message: `the reference solution does not pass: ${verdictSummary(v)}` });
        else {
          const e = runnable.find((x) => x.name === v.exercise)!;
          const files: Record<string, string> = {};
          for (const rel of [e.testFile, ...e.checkFiles, ...e.learnerFiles]) {
            const h = await hashFile(path.join(loaded.root, 'exercises', rel));
            if (h) files[`exercises/${rel}`] = h;
          }
          lock.exercises[e.name] = { tests: v.tests.map((t) => t.name), files };
        }
      } else if (kind === 'wrong') {
        const w = wrong.find((x) => `${x.exercise.name}/${x.label}` === label)!;
        if (w.rejects === undefined) continue;
        const judged = judgeWrongAnswer(v, w.rejects);
        if (!judged.ok) problems.push({ exercise: v.exercise, field: `wrong-answers/${label}`, message: judged.why });
      }
    }
    const lines = problems.map(formatProblem);
    if (lines.length === 0 && writeLockFile) await writeLock(loaded.root, sortLock(lock, loaded.course.exercises));
    return { problems: lines, checked: targets.length, solutions };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `--only` names exercises or whole topics (their folder, e.g. `06_compile_errors`). */
function chooseExercises(all: readonly Exercise[], list: string, find: (name: string) => Exercise): Set<string> {
  const chosen = new Set<string>();
  for (const token of list.split(',').map((n) => n.trim()).filter(Boolean)) {
    const topic = all.filter((e) => e.dir === token);
    if (topic.length > 0) for (const e of topic) chosen.add(e.name);
    else chosen.add(find(token).name);
  }
  return chosen;
}

/** The lock lists exercises in course order, however much of it a run refreshed. */
function sortLock(lock: CourseLock, order: readonly Exercise[]): CourseLock {
  const exercises: CourseLock['exercises'] = {};
  for (const e of order) if (lock.exercises[e.name]) exercises[e.name] = lock.exercises[e.name]!;
  return { format: 1, exercises };
}

export const devCheckCommand: Command = {
  name: 'dev check',
  summary: 'for course authors: prove every exercise fails unsolved, passes solved, rejects its wrong answers',
  usage: 'async-lessons dev check [--course DIR] [--no-lock] [--to-patches] [--mutants] [--only NAME,…] [--json]',
  details: [
    'Also checks that the manifest and the files agree both ways and that each exercise has a TODO. On success it writes course.lock.json (expected tests and file hashes).',
    '--to-patches first rewrites each whole-file wrong answer (wrong-answers/<exercise>/<label>.ts) as <label>.patch, a diff against the solution, where that is shorter; safe to run again.',
    `--mutants then runs every mutant of each reference solution (made by @stryker-mutator/instrumenter, a dev dependency) as a wrong answer and prints each exercise's mutation score and surviving mutants; below ${MUTATION_TARGET} % killed or marked equivalent fails. Mark a survivor no check could ever kill in wrong-answers/<exercise>/equivalent-mutants.toml, with a reason.`,
    '--only NAME,… (exercises or topics) checks only those exercises, their wrong answers and (with --mutants) their mutants, and refreshes only their entries in course.lock.json.',
  ].join('\n'),
  options: { ...courseOption, ...jsonOption, 'no-lock': { type: 'boolean' }, 'to-patches': { type: 'boolean' }, mutants: { type: 'boolean' }, only: { type: 'string' } },
  args: { min: 0, max: 0 },
  async run(ctx, { values }) {
    const { loaded } = await openCourse(ctx, values.course as string | undefined);
    // Usage and a missing instrumenter are told before any check runs: seconds, not minutes.
    const only = typeof values.only === 'string' ? chooseExercises(loaded.course.exercises, values.only, (n) => findExercise(loaded.course, n)) : undefined;
    const instrumenter = values.mutants ? await loadInstrumenter(loaded.root) : undefined;
    const say = values.json ? () => {} : ctx.print;
    say(`Course ${ctx.style.bold(loaded.id.name)} ${loaded.id.version} at ${loaded.root}`);
    // Converting is followed by the usual check, so the author sees at once that every rewritten
    // wrong answer is still rejected for its reason.
    const conversion = values['to-patches'] ? await convertToPatches(loaded) : undefined;
    if (conversion) {
      for (const c of conversion.converted) say(`${c.source} → .patch (${c.before} → ${c.after} lines)`);
      const before = conversion.converted.reduce((n, c) => n + c.before, 0);
      const after = conversion.converted.reduce((n, c) => n + c.after, 0);
      say(ctx.style.dim(`${plural(conversion.converted.length, 'wrong answer')} rewritten as patches (${before} → ${after} lines); ${conversion.kept.length} kept whole.`));
    }
    const { problems, checked, solutions } = await devCheck(ctx, loaded, !values['no-lock'], say, only);
    const proven = problems.length === 0;
    if (!values.json) {
      for (const p of problems) ctx.print(`${ctx.style.red('✗')} ${p}`);
      const count = only ? only.size : loaded.course.exercises.length;
      const wrote = values['no-lock'] ? '' : only ? ` Updated their entries in course.lock.json.` : ' Wrote course.lock.json.';
      if (proven) ctx.print(ctx.style.green(`✓ ${plural(count, 'exercise')} proven (${plural(checked, 'run')}).${wrote}`));
    }
    let mutation: MutationRun | undefined;
    if (instrumenter) {
      say(ctx.style.dim('Mutation testing: each mutant of a reference solution runs as a wrong answer…'));
      mutation = await runMutants(ctx, loaded, instrumenter, solutions, say);
      for (const line of mutationReport(ctx, mutation)) say(line);
      problems.push(...mutation.problems);
    }
    const belowTarget = mutation?.rows.filter((r) => r.score < MUTATION_TARGET).map((r) => r.exercise) ?? [];
    const ok = problems.length === 0 && belowTarget.length === 0;
    if (values.json) {
      ctx.print(JSON.stringify({ course: loaded.id, ok, problems, runs: checked, ...(conversion ? { conversion } : {}), ...(mutation ? { mutation: mutationJson(mutation) } : {}) }));
    } else if (!ok) {
      const why = [problems.length > 0 ? plural(problems.length, 'problem') : '', belowTarget.length > 0 ? `${plural(belowTarget.length, 'exercise')} below ${MUTATION_TARGET} %` : ''];
      ctx.print(ctx.style.red(`${why.filter(Boolean).join(' and ')} found.`));
    }
    return ok ? 0 : 1;
  },
};

export { devNewCommand } from './dev-new.js';
