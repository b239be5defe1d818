import path from 'node:path';
import { UserError } from '../core/errors.js';
import { resetExercise, undoReset } from '../node/workspace-ops.js';
import type { Command } from './command.js';
import { openLearner, pickExercise, plural } from './context.js';

export const resetCommand: Command = {
  name: 'reset',
  summary: 'restore an exercise (or --all) to its starting files, keeping a backup',
  usage: 'async-lessons reset <name> | --all',
  details: 'Your current files are copied to .async-lessons/backups/ first; `async-lessons undo-reset` brings them back.',
  options: { all: { type: 'boolean' } },
  args: { min: 0, max: 1 },
  async run(ctx, { values, positionals }) {
    if (!values.all && positionals.length === 0) {
      throw new UserError('Which exercise should be reset?', { next: 'Name it (`async-lessons reset <name>`) or reset everything with `async-lessons reset --all`.', code: 'USAGE' });
    }
    if (values.all && positionals.length > 0) throw new UserError('Give an exercise name or --all, not both.', { code: 'USAGE' });
    const l = await openLearner(ctx);
    const exercises = values.all ? l.loaded.course.exercises : [pickExercise(l, positionals[0])];
    for (const e of exercises) {
      const saved = await resetExercise(l.ws, l.loaded, e);
      if (!values.all) ctx.print(`Reset ${e.name}: exercises/${e.mainFile} is back to its starting code. Your version is saved in ${path.relative(l.ws.root, saved)}.`);
    }
    if (values.all) ctx.print(`Reset ${plural(exercises.length, 'exercise')}; your versions are saved in .async-lessons/backups/.`);
    ctx.print(ctx.style.dim('Changed your mind? `async-lessons undo-reset` brings back the newest backup.'));
    return 0;
  },
};

export const undoResetCommand: Command = {
  name: 'undo-reset',
  summary: 'bring back the files the newest reset replaced (of one exercise, if named)',
  usage: 'async-lessons undo-reset [name]',
  options: {},
  args: { min: 0, max: 1 },
  async run(ctx, { positionals }) {
    const l = await openLearner(ctx);
    if (positionals[0] !== undefined) pickExercise(l, positionals[0]);
    const { exercise, files } = await undoReset(l.ws, l.loaded, positionals[0]);
    ctx.print(`Restored ${exercise}: ${files.map((f) => `exercises/${f}`).join(', ') || 'no files'}.`);
    return 0;
  },
};
