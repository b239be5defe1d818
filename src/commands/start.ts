import path from 'node:path';
import { currentExercise, doneCount } from '../core/progress.js';
import { exists } from '../node/fs-utils.js';
import { commandName } from '../node/invocation.js';
import { BESIDE, findWorkspace, workspaceBeside } from '../node/workspace.js';
import { courseOption, type Command } from './command.js';
import { openLearner, plural, type Ctx } from './context.js';
import { courseFor, isEmptyDir, setUp } from './init.js';
import { reflow } from '../ui/text.js';

export async function status(ctx: Ctx): Promise<number> {
  const l = await openLearner(ctx);
  const name = currentExercise(l.progress, l.order);
  const e = l.loaded.course.exercises.find((x) => x.name === name)!;
  ctx.print(`${ctx.style.bold(l.loaded.id.name)} — ${doneCount(l.progress, l.order)} of ${plural(l.order.length, 'exercise')} done.`);
  // One path a line: together they ran past 120 columns.
  ctx.print(`Current: ${ctx.style.bold(e.name)} (${e.dir})`);
  ctx.print(`  edit    exercises/${e.mainFile}`);
  ctx.print(`  lesson  exercises/${e.dir}/README.md`);
  ctx.print('');
  // One command a line: with `npx async-lessons` two columns would not fit 60 columns.
  const cmd = commandName(ctx.env);
  const rows: Array<[string, string]> = [
    ['', 'watch: checks each save'],
    ['run', 'check it'],
    ['hint', 'a hint'],
    ['list', 'all exercises'],
    ['reset <name>', 'start it over'],
    ['--help', 'everything else'],
  ];
  const width = Math.max(...rows.map(([c]) => `${cmd} ${c}`.trimEnd().length));
  for (const [c, what] of rows) ctx.print(`  ${`${cmd} ${c}`.trimEnd().padEnd(width)}  ${what}`);
  return 0;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'where you are: progress, the current exercise, what to do next',
  usage: 'async-lessons status',
  options: {},
  args: { min: 0, max: 0 },
  run: (ctx) => status(ctx),
};

export const startCommand: Command = {
  name: '',
  summary: 'in a workspace: continue where you left off; elsewhere: set one up',
  usage: 'async-lessons [--yes] [--course DIR] [--plain] [--poll] [--manual-run] [--edit-cmd CMD]',
  details:
    'In a workspace this is watch mode: every save of the current exercise is checked at once. --plain prints appended lines (the default without a terminal); --poll watches by polling (for WSL drives, network file systems, containers); --manual-run checks only when you press r; --edit-cmd sets what o opens the file with.',
  options: {
    ...courseOption,
    yes: { type: 'boolean', short: 'y' },
    plain: { type: 'boolean' },
    poll: { type: 'boolean' },
    'manual-run': { type: 'boolean' },
    'edit-cmd': { type: 'string' },
  },
  args: { min: 0, max: 0 },
  async run(ctx, { values }) {
    const watchOptions = {
      plain: Boolean(values.plain),
      poll: Boolean(values.poll),
      manualRun: Boolean(values['manual-run']),
      editCmd: values['edit-cmd'] as string | undefined,
    };
    if (await findWorkspace(ctx.cwd)) {
      // Loaded only here: Ink and React are not needed by any other command.
      const { watchMode } = await import('./watch.js');
      return watchMode(ctx, watchOptions);
    }
    // The same command that set up ./async-lessons/ here (the folder was not empty) comes back to it.
    const beside = await workspaceBeside(ctx.cwd);
    if (beside) {
      const opening = `Opening your workspace in ./${BESIDE}/ (set up here earlier). Other commands work there: cd ${BESIDE}`;
      const { watchMode } = await import('./watch.js');
      return watchMode({ ...ctx, cwd: beside.root }, { ...watchOptions, notice: opening });
    }
    if (await exists(path.join(ctx.cwd, 'info.toml'))) {
      const cmd = commandName(ctx.env);
      ctx.print('This folder is a course (it has an info.toml). Commands for course authors:');
      ctx.print(`  ${cmd} dev check`);
      ctx.print('      prove the course: unsolved fails, solutions pass, wrong answers rejected');
      ctx.print(`  ${cmd} verify`);
      ctx.print('      check every reference solution');
      ctx.print(`  ${cmd} init <dir> --course .`);
      ctx.print('      try it as a learner in another folder');
      return 0;
    }
    const loaded = await courseFor(ctx, values.course as string | undefined);
    const empty = await isEmptyDir(ctx.cwd);
    const target = empty ? ctx.cwd : path.join(ctx.cwd, 'async-lessons');
    const shown = empty ? 'this folder' : './async-lessons/';
    if (!empty && (await exists(target))) {
      ctx.print(`./${BESIDE}/ already exists here, and it is not an async-lessons workspace (it has no .async-lessons/workspace.json), so nothing was written.`);
      ctx.print(`Run \`${commandName(ctx.env)} init <new-folder>\` to set one up elsewhere.`);
      return 2;
    }
    const welcome = [
      `Welcome to ${ctx.style.bold(loaded.id.name)}: asynchronous programming as Rust's async book lays it out, practised in TypeScript.`,
      ...(loaded.course.welcomeMessage ? [loaded.course.welcomeMessage.trim()] : []),
      `This sets up a workspace in ${shown}: ${loaded.course.exercises.length} exercises, their checks, and your progress.`,
    ];
    for (const line of reflow(welcome.join('\n\n'), Math.min(ctx.columns ?? 80, 80))) ctx.print(line);
    const go = values.yes ? true : ctx.interactive ? await ctx.ask(`Set it up in ${shown}?`) : undefined;
    if (go === undefined) {
      ctx.print(`No terminal to ask in. To set it up, run: \`${commandName(ctx.env)} init ${empty ? '.' : BESIDE} --yes\``);
      return 2;
    }
    if (!go) {
      ctx.print('Nothing was written.');
      return 0;
    }
    // Asked in a terminal, the learner goes straight on into watch mode in the new workspace.
    const straightIn = ctx.interactive && !values.yes;
    await setUp(ctx, target, loaded, values.yes ? false : undefined, !straightIn);
    if (!straightIn) return 0;
    const { watchMode } = await import('./watch.js');
    return watchMode({ ...ctx, cwd: target }, watchOptions);
  },
};
