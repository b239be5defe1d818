import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../core/errors.js';
import { builtinCourseRoot, loadCourse, type LoadedCourse } from '../node/course-loader.js';
import { commandName, globalInstallHint } from '../node/invocation.js';
import { initWorkspace, type Workspace } from '../node/workspace.js';
import { courseOption, type Command } from './command.js';
import type { Ctx } from './context.js';

export async function courseFor(ctx: Ctx, flag: string | undefined): Promise<LoadedCourse> {
  return loadCourse(flag === undefined ? builtinCourseRoot() : path.resolve(ctx.cwd, flag));
}

/** Folders that hold only what editors and git leave behind count as empty. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).every((n) => ['.git', '.DS_Store', '.vscode', '.idea'].includes(n));
  } catch {
    return true;
  }
}

export async function setUp(ctx: Ctx, dir: string, loaded: LoadedCourse, install: boolean | undefined, announceWatch = true): Promise<Workspace> {
  const ws = await initWorkspace(dir, loaded);
  const rel = path.relative(ctx.cwd, ws.root) || '.';
  const first = loaded.course.exercises[0]!;
  ctx.print(ctx.style.green(`Set up your ${loaded.id.name} workspace in ${rel === '.' ? 'this folder' : rel}.`));
  ctx.print(`  exercises/   the files you edit (${loaded.course.exercises.length} exercises), their checks and lessons`);
  ctx.print('  solutions/   reference solutions appear here as you pass');
  ctx.print('  .async-lessons/   your progress (safe to commit)');
  const doInstall = install ?? (ctx.interactive ? await ctx.ask('Install the type packages your editor uses (npm install, ~10 s)?') : false);
  if (doInstall) {
    ctx.print(ctx.style.dim('Running npm install…'));
    const result = await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: ws.root, reject: false, all: true });
    if (result.exitCode === 0) ctx.print('Editor types installed.');
    else ctx.warn(ctx.style.yellow(`npm install failed (exit ${result.exitCode}); the exercises still work, only your editor lacks types. Run it again later in ${rel}.`));
  } else {
    ctx.print(ctx.style.dim(`Later, \`npm install\`${rel === '.' ? '' : ` in ${rel}`} gives your editor the types (checks never need it).`));
  }
  ctx.print('');
  ctx.print(`Start with ${ctx.style.bold(first.name)}: the lesson is exercises/${first.dir}/README.md,`);
  ctx.print(`the file to edit exercises/${first.mainFile}.`);
  if (announceWatch) ctx.print(`Then run ${ctx.style.bold(`${rel === '.' ? '' : `cd ${rel} && `}${commandName(ctx.env)}`)}: it checks every save.`);
  const globally = globalInstallHint(ctx.env);
  if (globally) ctx.print(ctx.style.dim(globally));
  return ws;
}

export const initCommand: Command = {
  name: 'init',
  summary: 'set up a learner workspace in DIR (default: here)',
  usage: 'async-lessons init [dir] [--course DIR] [--yes] [--install | --no-install]',
  details: 'Never overwrites an existing file. --course makes the workspace from another course folder; the workspace remembers it.',
  options: { ...courseOption, yes: { type: 'boolean', short: 'y' }, install: { type: 'boolean' }, 'no-install': { type: 'boolean' } },
  args: { min: 0, max: 1 },
  async run(ctx, { values, positionals }) {
    const dir = path.resolve(ctx.cwd, positionals[0] ?? '.');
    const loaded = await courseFor(ctx, values.course as string | undefined);
    if (path.resolve(dir) === loaded.root) {
      throw new UserError('That folder is the course itself; a workspace must live elsewhere.', { next: 'Run `async-lessons init <another-folder>`.', code: 'WORKSPACE_IN_COURSE' });
    }
    const install = values.install ? true : values['no-install'] ? false : undefined;
    await setUp(ctx, dir, loaded, install);
    return 0;
  },
};
