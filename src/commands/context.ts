import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { UserError } from '../core/errors.js';
import { currentExercise } from '../core/progress.js';
import type { Exercise } from '../core/course-schema.js';
import { applyProgress, learnerTarget, type Learner } from '../node/learner.js';
import type { CheckRunner } from '../node/engine/index.js';
import { DaemonRunner, EngineRunner } from '../node/engine/index.js';
import { builtinCourseRoot, findExercise, loadCourse, type LoadedCourse } from '../node/course-loader.js';
import { readLock } from '../node/course-lock.js';
import { exists } from '../node/fs-utils.js';
import { ProgressStore } from '../node/progress-store.js';
import { nameCommands, commandName } from '../node/invocation.js';
import { BESIDE, findWorkspace, workspaceBeside, workspaceCourse } from '../node/workspace.js';
import { updateNotice } from '../node/workspace-ops.js';
import type { Style } from '../ui/style.js';
import { wrapLine } from '../ui/text.js';

/** What a command may touch: its streams and environment come in here, never from globals. */
export interface Ctx {
  cwd: string;
  env: Record<string, string | undefined>;
  style: Style;
  interactive: boolean;
  /** The terminal's width, when output goes to one (prose is reflowed to it). */
  columns?: number;
  print(line?: string): void;
  warn(line: string): void;
  /** A yes/no question in the terminal; false without one. Enter alone gives `byDefault` (yes unless said). */
  ask(question: string, byDefault?: boolean): Promise<boolean>;
  /**
   * A runner for a command that checks and exits (watch mode makes its own, warm one). `reuse`:
   * a command a learner repeats (`run`) may keep the engine warm for the next call (the daemon).
   */
  makeRunner(how?: { reuse?: boolean }): CheckRunner;
}

/**
 * The same Ctx, with each printed line wrapped at spaces to the terminal's width (a hanging indent
 * keeps a wrapped list item together); unchanged without a terminal. For prose and lists only:
 * never for --json, code frames or anything a program reads.
 */
export function wrappingCtx(ctx: Ctx): Ctx {
  const cols = ctx.columns;
  if (cols === undefined) return ctx;
  return { ...ctx, print: (line = '') => wrapLine(line, cols).forEach((l) => ctx.print(l)) };
}

export function processCtx(style: Style): Ctx {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const name = commandName(process.env);
  return {
    cwd: process.cwd(),
    env: process.env,
    style,
    interactive,
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    print: (line = '') => process.stdout.write(`${nameCommands(line, name)}\n`),
    warn: (line) => process.stderr.write(`${nameCommands(line, name)}\n`),
    ask: async (question, byDefault = true) => {
      if (!interactive) return false;
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        const answer = (await rl.question(`${question} ${byDefault ? '[Y/n]' : '[y/N]'} `)).trim().toLowerCase();
        return answer === '' ? byDefault : answer === 'y' || answer === 'yes';
      } finally {
        rl.close();
      }
    },
    makeRunner: (how) => (how?.reuse ? new DaemonRunner(process.env) : new EngineRunner({ oneShot: true })),
  };
}

export async function openLearner(ctx: Ctx): Promise<Learner> {
  const ws = await findWorkspace(ctx.cwd);
  if (!ws) {
    // Set up in a folder that was not empty, the workspace is ./async-lessons/: the learner comes
    // back to where they typed the command, not into the folder it made.
    if (await workspaceBeside(ctx.cwd)) {
      throw new UserError(`This folder is not an async-lessons workspace; your workspace is ./${BESIDE}/ inside it.`, {
        next: `Run \`cd ${BESIDE}\`, then this command again there (\`async-lessons\` alone continues where you left off).`,
        code: 'NO_WORKSPACE',
      });
    }
    throw new UserError('This folder is not an async-lessons workspace.', {
      next: 'Run `async-lessons` in an empty folder to set one up (or `async-lessons init <dir>`), or cd into your workspace.',
      code: 'NO_WORKSPACE',
    });
  }
  const loaded = await workspaceCourse(ws);
  const store = new ProgressStore(path.join(ws.stateDir, 'progress.json'));
  const { progress, notice } = await store.load();
  if (notice) ctx.warn(ctx.style.yellow(notice));
  const update = await updateNotice(ws, loaded);
  if (update) ctx.warn(ctx.style.yellow(update));
  return { ws, loaded, lock: await readLock(loaded.root), store, progress, order: loaded.course.exercises.map((e) => e.name) };
}

export function pickExercise(l: Learner, name: string | undefined): Exercise {
  const chosen = name ?? currentExercise(l.progress, l.order);
  if (chosen === undefined) throw new UserError('This course has no exercises.', { code: 'EMPTY_COURSE' });
  return findExercise(l.loaded.course, chosen);
}

/** The course an author command works on: --course, else an info.toml here, else the workspace's, else ours. */
export async function openCourse(ctx: Ctx, courseFlag: string | undefined): Promise<{ loaded: LoadedCourse; how: 'flag' | 'here' | 'workspace' | 'builtin' }> {
  if (courseFlag !== undefined) return { loaded: await loadCourse(path.resolve(ctx.cwd, courseFlag)), how: 'flag' };
  if (await exists(path.join(ctx.cwd, 'info.toml'))) return { loaded: await loadCourse(ctx.cwd), how: 'here' };
  const ws = await findWorkspace(ctx.cwd);
  if (ws) return { loaded: await workspaceCourse(ws), how: 'workspace' };
  return { loaded: await loadCourse(builtinCourseRoot()), how: 'builtin' };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export { applyProgress, learnerTarget, type Learner };
