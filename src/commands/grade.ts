import { rmSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parsePoints, parseRoster, selectExercises } from '../core/grading.js';
import { UserError } from '../core/errors.js';
import type { Exercise } from '../core/course-schema.js';
import { builtinCourseRoot, loadCourse, type LoadedCourse } from '../node/course-loader.js';
import { readLock } from '../node/course-lock.js';
import { EngineRunner, SharedTypes } from '../node/engine/index.js';
import { exists } from '../node/fs-utils.js';
import { classroomReporter } from '../node/grading/classroom-reporter.js';
import { classroomWorkflow, WORKFLOW_PATH, writeClassroomWorkflow } from '../node/grading/classroom-setup.js';
import { csvReporter } from '../node/grading/csv-reporter.js';
import { feedbackReporter } from '../node/grading/feedback-reporter.js';
import { fileSink } from '../node/grading/files.js';
import { gradeClass, isolationOf, makeTmpRoot } from '../node/grading/grade-class.js';
import { chooseSandbox, type Sandbox, type SandboxChoice } from '../node/grading/sandbox.js';
import { jsonReporter } from '../node/grading/json-reporter.js';
import { junitReporter } from '../node/grading/junit-reporter.js';
import type { GradeReporter } from '../node/grading/reporter.js';
import { runReporter } from '../node/grading/run-reporter.js';
import { findSubmissions } from '../node/grading/submissions.js';
import { tableReporter } from '../node/grading/table-reporter.js';
import { packageInfo } from '../node/package-root.js';
import { courseOption, jsonOption, type Command } from './command.js';
import { wrappingCtx, type Ctx } from './context.js';
import { fit, wrapLine } from '../ui/text.js';

/** Exercises whose pristine checks the course itself lacks cannot be graded for anyone. */
async function gradable(loaded: LoadedCourse, exercises: Exercise[], ctx: Ctx): Promise<Exercise[]> {
  const out: Exercise[] = [];
  for (const e of exercises) {
    const need = [...(e.kind === 'types' ? [] : [e.testFile]), ...e.checkFiles];
    const lacking: string[] = [];
    for (const f of need) if (!(await exists(path.join(loaded.root, 'exercises', f)))) lacking.push(`exercises/${f}`);
    if (lacking.length === 0) out.push(e);
    else ctx.warn(ctx.style.yellow(`Not graded: ${e.name} — the course has no ${lacking.join(', ')}.`));
  }
  return out;
}

function sandboxOf(value: string | undefined): Sandbox {
  const choice = value ?? 'auto';
  if (choice !== 'auto' && choice !== 'bwrap' && choice !== 'none') throw new UserError(`--sandbox must be auto, bwrap or none, not "${choice}".`, { code: 'USAGE' });
  const sandbox = chooseSandbox(choice as SandboxChoice);
  if (sandbox.kind === 'unavailable') throw new UserError(`--sandbox bwrap: ${sandbox.why}.`, { next: 'Install bubblewrap, or grade with --sandbox auto (Node permission model only: the network stays open).', code: 'USAGE' });
  return sandbox;
}

function jobsOf(value: string | undefined): number {
  if (value === undefined) return Math.max(1, os.availableParallelism());
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UserError(`--jobs must be a whole number from 1 to 64, not "${value}".`, { code: 'USAGE' });
  return n;
}

/** A file named by an option, read whole (a roster or a points table is small). */
async function optionFile(ctx: Ctx, flag: string, value: string): Promise<{ file: string; text: string }> {
  const file = path.resolve(ctx.cwd, value);
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (error) {
    throw new UserError(`--${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { code: 'USAGE' });
  }
}

async function rosterOf(ctx: Ctx, value: string | undefined): Promise<Set<string> | undefined> {
  if (value === undefined) return undefined;
  const { file, text } = await optionFile(ctx, 'roster', value);
  const roster = parseRoster(text);
  if ('error' in roster) throw new UserError(`--roster ${file}: ${roster.error}.`, { next: 'Give a CSV file with one student id a line (a header line naming an id, student or login column may pick the column).', code: 'USAGE' });
  return new Set(roster.ids);
}

/** --points overrides info.toml's points for the exercises it names. */
async function withPoints(ctx: Ctx, value: string | undefined, loaded: LoadedCourse, exercises: Exercise[]): Promise<Exercise[]> {
  if (value === undefined) return exercises;
  const { file, text } = await optionFile(ctx, 'points', value);
  const table = parsePoints(text, file.toLowerCase().endsWith('.json') ? 'json' : 'toml', loaded.course.exercises.map((e) => e.name));
  if ('error' in table) throw new UserError(`--points ${file}: ${table.error}.`, { next: 'Run `async-lessons list` to see the exercise names.', code: 'USAGE' });
  return exercises.map((e) => (table.points.has(e.name) ? { ...e, points: table.points.get(e.name)! } : e));
}

export const gradeCommand: Command = {
  name: 'grade',
  summary: "grade a class's workspaces against the pristine checks (instructors)",
  usage: 'async-lessons grade <path>... [--out DIR] [--jobs N] [--only TOPICS|EXERCISES] [--roster FILE] [--points FILE] [--sandbox auto|bwrap|none] [--classroom] [--json] [--course DIR]\n       async-lessons grade --classroom-setup [REPO] [--only TOPICS|EXERCISES]',
  details: [
    'Each <path> is a learner workspace, a folder of them (one sub-folder or archive per student; its name is the student id), or a .zip/.tar.gz/.tgz/.tar archive of one workspace or of a class. Archives are unpacked safely: entries escaping the folder, links pointing outside and archive bombs are refused, with the reason in that row.',
    "Only each exercise's own files are taken from a submission (symbolic links are refused); checks, fixtures, the course library and configuration come from the installed package (or --course), and progress files are ignored. Check files a student changed are reported as tampered and the exercise is graded with the pristine ones.",
    'Writes grades.csv (points per exercise), grades.json (per test), grades.junit.xml, grades-run.json (times, isolation) and feedback/<student>.md (what failed and what to try next) to --out (default ./grades). --only takes a comma-separated list of topics or exercises; --jobs how many submissions are graded at once (default: the number of cores); --json prints grades.json instead of the table.',
    '--roster FILE (CSV: one student id a line, or the column a header names id, student or login): a listed student with no submission gets a row of missing, a submission not listed is flagged. --points FILE (TOML `name = 3` or JSON) overrides the points of the exercises it names.',
    "Isolation (--sandbox): each submission runs in its own check host, under Node's permission model (reads confined to the package and its run folder, no writes, no child processes) with a scrubbed environment, timeouts, a heap cap and output caps. Where bubblewrap (`bwrap`) works, `auto` (the default) also runs each host inside it: no network, only the system, the package (read-only) and its run folder visible, its own /tmp, dies with the grader. Without it the network and some system calls stay open to student code. `bwrap` insists (and fails if unavailable), `none` never uses it. So there are two isolation levels, \"bubblewrap + Node permission model\" and \"Node permission model only\" (network and some system calls open); the one in force is printed under the table and written to grades-run.json.",
    'Exercises marked wall = true (their checks read the real clock, so they are timing-sensitive) are graded alone: with --jobs above 1 they wait until every submission\'s batch is done, then run one at a time with nothing else running (a submission\'s in one fresh check host, each in a fresh test worker).',
    'A workspace made with another course version is graded with the installed checks all the same, and flagged.',
    "--classroom grades one submission as a GitHub Classroom autograder: it prints `Points X/Y` last, writes grades-classroom.json (the autograding grading-reporter's runner result) and, under GitHub Actions, sets it as the step output `result`. --classroom-setup writes that workflow (.github/workflows/classroom.yml, pinned to this version) into an assignment's template repository (default: here).",
  ].join('\n'),
  options: { ...jsonOption, ...courseOption, out: { type: 'string' }, jobs: { type: 'string' }, only: { type: 'string' }, roster: { type: 'string' }, points: { type: 'string' }, sandbox: { type: 'string' }, classroom: { type: 'boolean' }, 'classroom-setup': { type: 'boolean' } },
  args: { min: 0, max: 10_000 },
  async run(ctx, { values, positionals }) {
    if (values['classroom-setup']) return classroomSetup(ctx, positionals, values.only as string | undefined);
    if (positionals.length === 0) throw new UserError('Which submissions? Give the workspaces, class folders or archives to grade.', { next: `Usage: ${gradeCommand.usage}`, code: 'USAGE' });
    const json = Boolean(values.json);
    const classroom = Boolean(values.classroom);
    if (json && classroom) throw new UserError('--json and --classroom both want stdout: choose one.', { code: 'USAGE' });
    const jobs = jobsOf(values.jobs as string | undefined);
    const sandbox = sandboxOf(values.sandbox as string | undefined);
    // The course is the installed one (or --course), never what a submission says it was made from.
    const loaded = await loadCourse(values.course === undefined ? builtinCourseRoot() : path.resolve(ctx.cwd, values.course as string));
    const only = (values.only as string | undefined)?.split(',').map((w) => w.trim()).filter(Boolean);
    const { selected, unknown } = selectExercises(loaded.course.exercises, only);
    if (unknown.length > 0) throw new UserError(`--only: no topic or exercise named ${unknown.map((w) => `"${w}"`).join(', ')}.`, { next: 'Run `async-lessons list` to see the names.', code: 'USAGE' });
    const exercises = await withPoints(ctx, values.points as string | undefined, loaded, await gradable(loaded, selected, ctx));
    const roster = await rosterOf(ctx, values.roster as string | undefined);
    if (exercises.length === 0) throw new UserError('There is nothing to grade: no exercise was selected.', { code: 'USAGE' });
    const out = path.resolve(ctx.cwd, (values.out as string | undefined) ?? 'grades');
    await mkdir(out, { recursive: true });
    const tmpRoot = await makeTmpRoot(os.tmpdir());
    // Archives are unpacked before grading starts (a class archive's students are known only then);
    // the copies go with the rest of the run's temp folder, on Ctrl-C too.
    const cleanup = () => rmSync(tmpRoot, { recursive: true, force: true });
    process.once('exit', cleanup);
    try {
      await gradeAll(ctx, { json, classroom, jobs, sandbox, loaded, exercises, out, tmpRoot, positionals, roster });
    } finally {
      process.removeListener('exit', cleanup);
      cleanup();
    }
    return 0;
  },
};

async function classroomSetup(ctx: Ctx, positionals: string[], only: string | undefined): Promise<number> {
  if (positionals.length > 1) throw new UserError('--classroom-setup takes one folder: the assignment\'s template repository.', { code: 'USAGE' });
  const repo = path.resolve(ctx.cwd, positionals[0] ?? '.');
  const words = only?.split(',').map((w) => w.trim()).filter(Boolean);
  // The workflow grades with the published package, so the names are checked against its course.
  const { unknown } = selectExercises((await loadCourse(builtinCourseRoot())).course.exercises, words);
  if (unknown.length > 0) throw new UserError(`--only: no topic or exercise named ${unknown.map((w) => `"${w}"`).join(', ')}.`, { next: 'Run `async-lessons list` to see the names.', code: 'USAGE' });
  const { version } = packageInfo();
  let text: string;
  try {
    text = classroomWorkflow(version, words);
  } catch (error) {
    throw new UserError(`--only: ${(error as Error).message}.`, { code: 'USAGE' });
  }
  const file = path.join(repo, WORKFLOW_PATH);
  const done = await writeClassroomWorkflow(repo, text);
  if (done === 'differs') throw new UserError(`${file} exists and is not the workflow this version writes; it was left alone.`, { next: 'Delete it (or move it aside) and run this again.' });
  ctx.print(done === 'written' ? `Wrote ${file}: each push grades the repository with async-lessons ${version} and reports Points to GitHub Classroom.` : `${file} is already this version's workflow.`);
  return 0;
}

// Heap caps: each test worker (where student code runs; past it the row is "ran out of memory
// (cap 512 MB)") and the check host, whose vitest holds what the workers report.
const WORKER_HEAP_MB = 512;
const HOST_HEAP_MB = 1024;

interface Run {
  json: boolean;
  classroom: boolean;
  jobs: number;
  sandbox: Sandbox;
  loaded: LoadedCourse;
  exercises: Exercise[];
  out: string;
  tmpRoot: string;
  positionals: string[];
  roster: Set<string> | undefined;
}

async function gradeAll(ctx: Ctx, run: Run): Promise<void> {
  const { json, out, jobs, loaded, exercises } = run;
  const submissions = await findSubmissions(run.positionals, ctx.cwd, { extractDir: path.join(run.tmpRoot, 'archives') });
  const students = new Set([...submissions.map((s) => s.id), ...(run.roster ?? [])]);
  if (run.classroom && students.size > 1) throw new UserError(`--classroom grades one submission (a student's repository), and there are ${students.size}.`, { next: 'Leave out --classroom to grade a class.', code: 'USAGE' });
  const reporters: GradeReporter[] = [
    json ? jsonReporter(async (text) => ctx.print(text.trimEnd())) : tableReporter({ write: (text) => ctx.print(text.replace(/\n$/, '')), tty: ctx.interactive, paint: ctx.style, ...(ctx.columns ? { layout: layoutFor(ctx.columns) } : {}) }),
    csvReporter(fileSink(out, 'grades.csv')),
    jsonReporter(fileSink(out, 'grades.json')),
    junitReporter(fileSink(out, 'grades.junit.xml')),
    runReporter(fileSink(out, 'grades-run.json'), packageInfo()),
    feedbackReporter(path.join(out, 'feedback')),
    ...(run.classroom ? [classroomReporter((line) => ctx.print(line), fileSink(out, 'grades-classroom.json'), ctx.env.GITHUB_OUTPUT)] : []),
  ];
  // Two hosts on two cores each wanting every core would only take turns.
  const maxWorkers = Math.max(1, Math.floor(os.availableParallelism() / jobs));
  // One warm type checker per job, serving its submissions in turn (it runs no learner code).
  const types = Array.from({ length: jobs }, () => new SharedTypes(path.join(packageInfo().root, 'dist', 'check-types.js')));
  try {
    await gradeClass({
      course: loaded,
      exercises,
      lock: await readLock(loaded.root),
      submissions,
      jobs,
      reporters,
      makeRunner: (job) => new EngineRunner({ oneShot: true, scrubEnv: true, maxWorkers, heapMb: WORKER_HEAP_MB, hostHeapMb: HOST_HEAP_MB, types: types[job % jobs]!, ...(run.sandbox.kind === 'bwrap' ? { wrap: run.sandbox.wrap } : {}) }),
      isolation: isolationOf(run.sandbox),
      tmpRoot: path.join(run.tmpRoot, 'copies'),
      ...(run.roster ? { roster: run.roster } : {}),
    });
  } finally {
    await Promise.all(types.map((t) => t.close()));
  }
  // With --classroom, `Points X/Y` stays the last line, where Classroom looks for it.
  if (!json && !run.classroom) wrappingCtx(ctx).print(ctx.style.dim(`Wrote ${['grades.csv', 'grades.json', 'grades.junit.xml', 'grades-run.json'].map((f) => path.join(out, f)).join(', ')} and a feedback file per student in ${path.join(out, 'feedback')}.`));
}

/** The table's lines at the terminal's width: wrapped at spaces, the progress bar cut to one row. */
const layoutFor = (cols: number) => ({ wrap: (line: string) => wrapLine(line, cols), fit: (line: string) => fit(line, cols) });
