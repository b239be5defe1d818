import { entryOf } from '../core/progress.js';
import type { Command } from './command.js';
import { applyProgress, openLearner, pickExercise } from './context.js';

export const hintCommand: Command = {
  name: 'hint',
  summary: 'show the next hint for an exercise (default: the current one)',
  usage: 'async-lessons hint [name]',
  details: 'Hints are graduated: each call reveals one more, from a nudge to a near-answer. Earlier hints are shown again.',
  options: {},
  args: { min: 0, max: 1 },
  async run(ctx, { positionals }) {
    const l = await openLearner(ctx);
    const exercise = pickExercise(l, positionals[0]);
    const seen = entryOf(l.progress, exercise.name).hintsSeen;
    const upTo = Math.min(seen + 1, exercise.hints.length);
    ctx.print(ctx.style.bold(`Hints for ${exercise.name}:`));
    exercise.hints.slice(0, upTo).forEach((h, i) => ctx.print(`${i + 1}/${exercise.hints.length}. ${h.trim()}`));
    if (upTo < exercise.hints.length) ctx.print(ctx.style.dim('Run `async-lessons hint` again for the next one.'));
    else ctx.print(ctx.style.dim('That is the last hint.'));
    if (exercise.rust) ctx.print(ctx.style.dim(`Rust: ${exercise.rust.trim()}`));
    await applyProgress(l, { type: 'hint-shown', name: exercise.name, count: exercise.hints.length });
    if (l.unsaved) throw l.unsaved;
    return 0;
  },
};
