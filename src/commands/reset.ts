import path from 'node:path';
import { UserError } from '../core/errors.js';
import { exists } from '../node/fs-utils.js';
import { resetAll, resetExercise, undoReset, undoResetAll, type Undone } from '../node/workspace-ops.js';
import type { Command } from './command.js';
import { openLearner, pickExercise, plural, type Ctx } from './context.js';

export const resetCommand: Command = {
  name: 'reset',
  summary: 'restore an exercise (or --all) to its starting files, keeping a backup',
  usage: 'async-lessons reset <name> | --all [--yes]',
  details:
    'Your current files are copied to .async-lessons/backups/ first; `async-lessons undo-reset` brings them back. --all asks first in a terminal (default no); without one it needs --yes.',
  options: { all: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } },
  args: { min: 0, max: 1 },
  async run(ctx, { values, positionals }) {
    if (!values.all && positionals.length === 0) {
      throw new UserError('Which exercise should be reset?', { next: 'Name it (`async-lessons reset <name>`) or reset everything with `async-lessons reset --all`.', code: 'USAGE' });
    }
    if (values.all && positionals.length > 0) throw new UserError('Give an exercise name or --all, not both.', { code: 'USAGE' });
    const l = await openLearner(ctx);
    const rel = (f: string) => path.relative(l.ws.root, f);
    if (values.all) {
      const count = plural(l.order.length, 'exercise');
      if (!values.yes) {
        if (!ctx.interactive) {
          throw new UserError(`reset --all puts all ${count} back to their starting code; with no terminal to ask in, it needs --yes. Nothing was reset.`, {
            next: 'Run `async-lessons reset --all --yes` (your files are backed up first), or `async-lessons reset <name>` for one exercise.',
            code: 'NEEDS_YES',
          });
        }
        // Defaults to no: this replaces every file the learner has written.
        // Short lines: the question must read whole at 60 columns.
        ctx.print(`This puts all ${count} back to their starting code;`);
        ctx.print('your files are backed up first.');
        if (!(await ctx.ask(`Reset all ${count}?`, false))) {
          ctx.print('Nothing was reset.');
          return 0;
        }
      }
      const { dir, files } = await resetAll(l.ws, l.loaded);
      // The folder on a line of its own: with its time stamp it is 55 columns by itself.
      ctx.print(`Reset ${count}. Your ${plural(files.length, 'file')} ${files.length === 1 ? 'is' : 'are'} backed up in`);
      ctx.print(`  ${rel(dir)}/`);
      ctx.print(ctx.style.dim('Changed your mind? This brings them all back:'));
      ctx.print(ctx.style.dim('  `async-lessons undo-reset --all`'));
      return 0;
    }
    const e = pickExercise(l, positionals[0]);
    const had = await exists(path.join(l.ws.exercisesDir, e.mainFile));
    const saved = await resetExercise(l.ws, l.loaded, e);
    if (had) ctx.print(`Reset ${e.name}: exercises/${e.mainFile} is back to its starting code. Your version is backed up in ${rel(saved)}/.`);
    else ctx.print(`Reset ${e.name}: exercises/${e.mainFile} is back to its starting code (it was missing, so there was nothing to back up).`);
    ctx.print(ctx.style.dim(`Changed your mind? \`async-lessons undo-reset ${e.name}\` brings back what it replaced.`));
    return 0;
  },
};

function report(ctx: Ctx, root: string, u: Undone): void {
  const rel = (f: string) => path.relative(root, f);
  ctx.print(`Restored ${u.exercise}: ${plural(u.files.length, 'file')} from ${rel(u.from)}/${u.files.length > 0 && u.files.length <= 3 ? ` (${u.files.map((f) => `exercises/${f}`).join(', ')})` : ''}.`);
  if (u.kept) ctx.print(ctx.style.dim(`The files they replaced are kept in ${rel(u.kept)}/, in case this was a mistake.`));
}

export const undoResetCommand: Command = {
  name: 'undo-reset',
  summary: 'undo the newest reset, or of one exercise, or the last reset --all',
  usage: 'async-lessons undo-reset [name] | --all',
  details: 'Without a name it undoes the newest reset, whole: right after `async-lessons reset --all` that is every exercise, in one call.',
  options: { all: { type: 'boolean' } },
  args: { min: 0, max: 1 },
  async run(ctx, { values, positionals }) {
    if (values.all && positionals.length > 0) throw new UserError('Give an exercise name or --all, not both.', { code: 'USAGE' });
    const l = await openLearner(ctx);
    if (positionals[0] !== undefined) pickExercise(l, positionals[0]);
    report(ctx, l.ws.root, values.all ? await undoResetAll(l.ws, l.loaded) : await undoReset(l.ws, l.loaded, positionals[0]));
    return 0;
  },
};
