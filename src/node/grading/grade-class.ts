import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Exercise } from '../../core/course-schema.js';
import { absentFrom, byStudent, checkRoster, cmp, gradeExercise, gradeStudent, madeWithOther, noSubmission, ungradable, type ExerciseGrade, type GradedExercise, type StudentGrade } from '../../core/grading.js';
import type { CheckRunner, CheckTarget } from '../engine/index.js';
import type { LoadedCourse } from '../course-loader.js';
import type { CourseLock } from '../course-lock.js';
import { STATE_DIR } from '../workspace.js';
import { copyLearnerFiles } from './copy.js';
import { report, type GradeReporter, type Isolation } from './reporter.js';
import type { Submission } from './submissions.js';
import { readNoFollow } from './safe-read.js';
import type { Sandbox } from './sandbox.js';
import { pristineFiles, tamperedFiles, type Pristine } from './tamper.js';

/** What is enforced around each submission's code, given the sandbox in force. */
export function isolationOf(sandbox: Sandbox): Isolation {
  const bwrap = sandbox.kind === 'bwrap';
  return {
    level: bwrap ? 'bubblewrap + node permission model + scrubbed env + process group' : 'node permission model + scrubbed env + process group (network and some syscalls open)',
    details: [
      ...(bwrap ? ['each check host inside bubblewrap: no network, only the system, the package (read-only) and its run area visible, its own /tmp, PID namespace and session; it dies with the grader'] : []),
      'each submission in its own check host (own process group), closed after it; per-exercise timeouts and a watchdog',
      "test workers under Node's permission model: reads confined to the package and the run folder, no writes, no child processes",
      'heap caps: 512 MB per test worker (past it: crashed, "ran out of memory (cap 512 MB)"), 1 GB for the check host; console kept in the host capped per file (10 000 messages, 1 MB)',
      "a scrubbed environment: student code sees PATH, LANG and a HOME of its own, none of the grader's variables",
      "only each exercise's learner files are copied from a submission (links refused); checks, harness, course library and config come from the package",
      'built-ins put back before every file; a file that changes one its checks rely on gets no points (rewrote-builtins)',
      'grades keep no console output: one bounded line per message and test name',
      'with more than one job, WALL items (real clock) run after every batch, one at a time, with nothing else running (a submission\'s in one fresh host, each in a fresh worker)',
    ],
    missing: [
      ...(bwrap ? [] : [`no bubblewrap (${sandbox.why}): student code can open network connections and make system calls beyond the file system`]),
      'memory outside the JavaScript heap (Buffers, typed arrays) is not capped: an address-space limit would have to exceed the ~30 GB of address space a check host reserves',
    ],
  };
}

export interface ClassRun {
  course: LoadedCourse;
  exercises: readonly Exercise[];
  lock: CourseLock | undefined;
  submissions: readonly Submission[];
  jobs: number;
  reporters: readonly GradeReporter[];
  /**
   * One runner per submission (a fresh host each): nothing one leaves behind reaches the next.
   * `job`: which of the --jobs parallel slots grades it (what runs no learner code, the type
   * checker, may be shared by a slot's runners).
   */
  makeRunner: (job: number) => CheckRunner;
  /** Where each submission's copy goes; removed at the end. */
  tmpRoot: string;
  /** What isolates each submission (the report says which level was in force); default: no sandbox. */
  isolation?: Isolation;
  /** --roster: the ids expected. Listed students with no submission get a row of `missing`. */
  roster?: ReadonlySet<string>;
}

export async function gradeClass(run: ClassRun): Promise<StudentGrade[]> {
  const started = Date.now();
  const pristine = await pristineFiles(run.course.root, run.exercises);
  const absent = absentFrom(run.roster, run.submissions.map((s) => s.id));
  await report(run.reporters, 'onStart', {
    course: run.course.id,
    exercises: run.exercises.map(gradedExercise),
    students: [...run.submissions.map((s) => s.id), ...absent].sort(cmp),
    jobs: run.jobs,
    isolation: run.isolation ?? isolationOf({ kind: 'none', why: 'not asked for' }),
  });
  const results: StudentGrade[] = [];
  const durations = new Map<string, number>();
  for (const id of absent) {
    const grade = noSubmission(id, run.exercises.map(gradedExercise));
    results.push(grade);
    await report(run.reporters, 'onSubmissionEnd', grade, 0);
  }
  const wall = wallQueue(run.jobs);
  const tails: Array<Promise<void>> = [];
  let next = 0;
  const worker = async (job: number) => {
    while (next < run.submissions.length) {
      const index = next++;
      const s = run.submissions[index]!;
      const t0 = Date.now();
      await report(run.reporters, 'onSubmissionStart', s.id);
      // The job is free again once the batch is done; WALL items, if any, finish the row later.
      let batchDone!: () => void;
      const freed = new Promise<void>((resolve) => (batchDone = resolve));
      const whole = gradeSubmission(run, s, index, pristine, { batchDone, wall, job }).then(async (g) => {
        const grade = checkRoster(g, run.roster);
        durations.set(s.id, Date.now() - t0);
        results.push(grade);
        await report(run.reporters, 'onSubmissionEnd', grade, Date.now() - t0);
      });
      tails.push(whole);
      // Awaited below (or by the race); if a reporter fails, the rows still pending must not crash the process.
      whole.catch(() => {});
      await Promise.race([freed, whole]);
    }
  };
  // A grader stopped by Ctrl-C (the CLI exits from its signal handler) leaves no copies behind.
  const cleanup = () => rmSync(run.tmpRoot, { recursive: true, force: true });
  process.once('exit', cleanup);
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(run.jobs, run.submissions.length)) }, (_, job) => worker(job)));
    wall.open();
    await Promise.all(tails);
  } finally {
    process.removeListener('exit', cleanup);
    await rm(run.tmpRoot, { recursive: true, force: true });
  }
  const students = byStudent(results);
  await report(run.reporters, 'onEnd', { students, durationMs: Date.now() - started, durations });
  return students;
}

/**
 * WALL items (`wall = true`: their checks read the real clock) are timed against the machine, so
 * with --jobs > 1 they wait until every submission's batch is done and then run one at a time, a
 * submission's in a host of its own, with nothing else running: a loaded machine must not cost a student points.
 * With --jobs 1 nothing runs beside them anyway, and they stay in their submission's batch.
 */
interface WallQueue {
  /** Whether WALL items wait for the end (jobs > 1) or run in the batch. */
  deferred: boolean;
  /** Runs `fn` once every batch is done, after the WALL items queued before it. */
  alone<T>(fn: () => Promise<T>): Promise<T>;
  /** Every batch is done. */
  open(): void;
}

function wallQueue(jobs: number): WallQueue {
  let open!: () => void;
  let last: Promise<unknown> = new Promise<void>((resolve) => (open = resolve));
  return {
    deferred: jobs > 1,
    alone<T>(fn: () => Promise<T>): Promise<T> {
      const mine = last.then(fn);
      last = mine.catch(() => {});
      return mine;
    },
    open: () => open(),
  };
}

const gradedExercise = (e: Exercise): GradedExercise => ({ name: e.name, dir: e.dir, points: e.points, ...(e.hints[0] ? { hint: e.hints[0] } : {}) });

/**
 * One submission, start to end. Whatever goes wrong stays in this student's row: a runner that
 * fails (a bug, a host that will not start) grades what it has not graded yet as not graded, with
 * the reason, and the other submissions go on.
 */
async function gradeSubmission(run: ClassRun, s: Submission, index: number, pristine: Pristine, sched: { batchDone: () => void; wall: WallQueue; job: number }): Promise<StudentGrade> {
  const exercises = run.exercises.map(gradedExercise);
  if (s.problem) return ungradable(s.id, exercises, s.problem, s.refused ? 'refused' : 'not-graded');
  const onExercise = (g: ExerciseGrade) => report(run.reporters, 'onExercise', s.id, g);
  const grades = new Map<string, ExerciseGrade>();
  const problems: string[] = [];
  // Named by position, not by id: an id is a folder name the student chose.
  const copy = path.join(run.tmpRoot, `s${index}`);
  let runner: CheckRunner | undefined;
  try {
    const tampered = await tamperedFiles(s.dir, pristine);
    const exercisesDir = path.join(copy, 'exercises');
    await mkdir(exercisesDir, { recursive: true });
    const targets: CheckTarget[] = [];
    for (const e of run.exercises) {
      const instead = await copyLearnerFiles(s.dir, exercisesDir, e);
      const flags = tampered.byExercise.get(e.name) ?? [];
      if (instead) {
        if (instead.kind === 'refused') problems.push(`${e.name}: ${instead.reason}`);
        const g = gradeExercise(gradedExercise(e), instead, flags);
        grades.set(e.name, g);
        await onExercise(g);
        continue;
      }
      const expected = run.lock?.exercises[e.name]?.tests;
      targets.push({ courseRoot: run.course.root, exercise: e, learner: { dir: exercisesDir, displayBase: copy }, ...(expected ? { expectedTests: expected } : {}) });
    }
    const check = async (batch: CheckTarget[]) => {
      runner ??= run.makeRunner(sched.job);
      const pending: Array<Promise<void>> = [];
      // The engine re-runs alone whatever a batch could not judge (e.g. process.exit at import).
      await runner.checkMany(batch, (verdict, i) => {
        const e = batch[i]!.exercise;
        const g = gradeExercise(gradedExercise(e), { kind: 'verdict', verdict }, tampered.byExercise.get(e.name) ?? []);
        grades.set(e.name, g);
        pending.push(onExercise(g));
      });
      await Promise.all(pending);
    };
    const later = sched.wall.deferred ? targets.filter((t) => t.exercise.wall) : [];
    const now = targets.filter((t) => !later.includes(t));
    if (now.length > 0) await check(now);
    if (later.length > 0) {
      await runner?.close().catch(() => {});
      runner = undefined;
      sched.batchDone();
      // One after another in one fresh host of their own, nothing of any batch running beside
      // them. Each is a run of its own, and every run ends with its worker stopped, so what one
      // item leaves behind (a timer, a thread) dies before the next starts; the host runs no
      // learner code. (A host per item cost ~0.3 s more each, for no isolation gained.)
      await sched.wall.alone(async () => {
        try {
          for (const t of later) await check([t]);
        } finally {
          await runner?.close().catch(() => {});
          runner = undefined;
        }
      });
    }
    const graded = gradeStudent(s.id, run.exercises.map((e) => grades.get(e.name)!), problems, tampered.shared);
    const madeWith = madeWithOther(await workspaceMeta(s.dir), run.course.id);
    return madeWith ? { ...graded, madeWith } : graded;
  } catch (error) {
    const why = `grading stopped: ${oneLineError(error)}`;
    const rest = run.exercises.map((e) => grades.get(e.name) ?? gradeExercise(gradedExercise(e), { kind: 'not-graded', reason: why }));
    return gradeStudent(s.id, rest, [...problems, why]);
  } finally {
    await runner?.close().catch(() => {});
    await rm(copy, { recursive: true, force: true });
  }
}

/** The workspace's own record of its course, as untrusted data (never followed through a link). */
async function workspaceMeta(dir: string): Promise<unknown> {
  const read = await readNoFollow(dir, `${STATE_DIR}/workspace.json`);
  if (read.kind !== 'file') return undefined;
  try {
    return JSON.parse(read.content.toString('utf8'));
  } catch {
    return undefined;
  }
}

const oneLineError = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/** A fresh folder for one run's copies, under the system's temp folder. */
export const makeTmpRoot = (base: string) => mkdtemp(path.join(base, 'async-lessons-grade-'));
