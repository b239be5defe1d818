import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../core/errors.js';
import { builtinCourseRoot, loadCourse, type LoadedCourse } from '../node/course-loader.js';
import { commandName, globalInstallHint } from '../node/invocation.js';
import { linkEditorTypes } from '../node/editor-types.js';
import { initWorkspace, type Workspace } from '../node/workspace.js';
import { courseOption, type Command } from './command.js';
import { wrappingCtx, type Ctx } from './context.js';

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

export async function setUp(outer: Ctx, dir: string, loaded: LoadedCourse, install: boolean | undefined, announceWatch = true): Promise<Workspace> {
  const ctx = wrappingCtx(outer);
  const ws = await initWorkspace(dir, loaded);
  const rel = path.relative(ctx.cwd, ws.root) || '.';
  const first = loaded.course.exercises[0]!;
  ctx.print(ctx.style.green(`Set up your ${loaded.id.name} workspace in ${rel === '.' ? 'this folder' : rel}.`));
  ctx.print(`  exercises/   the files you edit (${loaded.course.exercises.length} exercises), their checks and lessons`);
  ctx.print('  solutions/   reference solutions appear here as you pass');
  ctx.print('  .async-lessons/   your progress (safe to commit)');
  if (install !== false) await editorTypes(ctx, ws.root, rel, install === true);
  else ctx.print(ctx.style.dim(`Later, \`npm install\`${rel === '.' ? '' : ` in ${rel}`} gives your editor the types (checks never need it).`));
  ctx.print('');
  ctx.print(`Start with ${ctx.style.bold(first.name)}: the lesson is exercises/${first.dir}/README.md,`);
  ctx.print(`the file to edit exercises/${first.mainFile}.`);
  if (announceWatch) ctx.print(`Then run ${ctx.style.bold(`${rel === '.' ? '' : `cd ${rel} && `}${commandName(ctx.env)}`)}: it checks every save.`);
  const globally = globalInstallHint(ctx.env);
  if (globally) ctx.print(ctx.style.dim(globally));
  return ws;
}

/**
 * The editor's types, linked from what async-lessons already installed (no download). Where a
 * package cannot be linked, --install falls back to `npm install`; otherwise the learner is told how.
 */
async function editorTypes(ctx: Ctx, root: string, rel: string, install: boolean): Promise<void> {
  const { linked, skipped } = await linkEditorTypes(root);
  if (skipped.length === 0) {
    ctx.print(ctx.style.dim(`  node_modules/  links to the types your editor uses (${linked.join(', ')}), from async-lessons' own copies: nothing downloaded`));
    return;
  }
  const missing = skipped.map((s) => `${s.name} (${s.why})`).join(', ');
  if (!install) {
    ctx.print(ctx.style.dim(`Your editor lacks the types of ${missing}; \`npm install\`${rel === '.' ? '' : ` in ${rel}`} adds them (a download of ~70 MB; checks never need it).`));
    return;
  }
  ctx.print(ctx.style.dim(`Running npm install for ${missing}…`));
  const result = await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, reject: false, all: true });
  if (result.exitCode === 0) ctx.print('Editor types installed.');
  else ctx.warn(ctx.style.yellow(`npm install failed (exit ${result.exitCode}); the exercises still work, only your editor lacks types. Run it again later in ${rel}.`));
}

export const initCommand: Command = {
  name: 'init',
  summary: 'set up a learner workspace in DIR (default: here)',
  usage: 'async-lessons init [dir] [--course DIR] [--yes] [--install | --no-install]',
  details: 'Never overwrites an existing file. --course makes the workspace from another course folder; the workspace remembers it. Your editor gets its types by links to the packages async-lessons already installed (no download); --no-install skips that, --install falls back to npm install where a link cannot be made.',
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
