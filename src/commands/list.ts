import { currentExercise, doneCount, entryOf } from '../core/progress.js';
import { jsonOption, type Command } from './command.js';
import { openLearner, plural } from './context.js';

export const listCommand: Command = {
  name: 'list',
  summary: 'every exercise with its topic and status; the current one is marked',
  usage: 'async-lessons list [--json]',
  options: { ...jsonOption },
  args: { min: 0, max: 0 },
  async run(ctx, { values }) {
    const l = await openLearner(ctx);
    const current = currentExercise(l.progress, l.order);
    const rows = l.loaded.course.exercises.map((e, i) => ({
      index: i + 1,
      name: e.name,
      topic: e.dir,
      kind: e.kind,
      status: entryOf(l.progress, e.name).status,
      current: e.name === current,
      file: `exercises/${e.mainFile}`,
    }));
    if (values.json) {
      ctx.print(JSON.stringify({ course: l.loaded.id, done: doneCount(l.progress, l.order), total: rows.length, exercises: rows }));
      return 0;
    }
    // The file path says the topic too (exercises/<topic>/…), so it takes the topic's column: it
    // comes last, where a long one at 60 columns wraps without pushing the others out of line.
    const nameWidth = Math.max(...rows.map((r) => r.name.length), 4);
    ctx.print(ctx.style.dim(`   #  ${'name'.padEnd(nameWidth)}  status   file (edit this)`));
    for (const r of rows) {
      const mark = r.current ? ctx.style.cyan('>') : ' ';
      const status = r.status === 'done' ? ctx.style.green('done   ') : 'pending';
      ctx.print(`${mark} ${String(r.index).padStart(2)}  ${r.name.padEnd(nameWidth)}  ${status}  ${r.file}`);
    }
    ctx.print(ctx.style.dim('> marks the current exercise.'));
    ctx.print(ctx.style.dim(`${doneCount(l.progress, l.order)} of ${plural(rows.length, 'exercise')} done.`));
    return 0;
  },
};
