import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { UserError } from '../core/errors.js';
import { entryOf } from '../core/progress.js';
import type { Command } from './command.js';
import { openLearner, pickExercise } from './context.js';

const read = (f: string) => readFile(f, 'utf8').catch(() => '');

export const solutionCommand: Command = {
  name: 'solution',
  summary: 'after a pass: where the reference solution is, and how it differs from yours',
  usage: 'async-lessons solution <name>',
  options: {},
  args: { min: 0, max: 1 },
  async run(ctx, { positionals }) {
    const l = await openLearner(ctx);
    const exercise = pickExercise(l, positionals[0]);
    const entry = entryOf(l.progress, exercise.name);
    if (entry.firstPassAt === null && entry.status !== 'done') {
      throw new UserError(`The solution to ${exercise.name} opens once your version passes.`, {
        next: `Keep going: \`async-lessons run ${exercise.name}\` checks it, \`async-lessons hint ${exercise.name}\` helps.`,
        code: 'NOT_YET',
      });
    }
    for (const rel of exercise.learnerFiles) {
      const mine = await read(path.join(l.ws.exercisesDir, rel));
      const theirs = await read(path.join(l.loaded.root, 'solutions', rel));
      ctx.print(ctx.style.bold(`Reference solution: solutions/${rel}`));
      if (mine === theirs) {
        ctx.print('Your file is identical to it.');
        continue;
      }
      const patch = createTwoFilesPatch(`exercises/${rel} (yours)`, `solutions/${rel} (reference)`, mine, theirs, undefined, undefined, { context: 3 });
      for (const line of patch.split('\n').slice(2)) {
        ctx.print(line.startsWith('+') ? ctx.style.green(line) : line.startsWith('-') ? ctx.style.red(line) : line);
      }
    }
    return 0;
  },
};
