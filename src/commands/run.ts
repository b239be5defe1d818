import { diagnosisLessonFile } from '../core/course-schema.js';
import { entryOf, nextPending } from '../core/progress.js';
import type { Verdict } from '../core/verdict.js';
import { keepGoing } from '../node/learner.js';
import { revealSolution } from '../node/workspace-ops.js';
import { formatVerdict } from '../ui/format-verdict.js';
import { renderTimeline } from '../ui/timeline.js';
import { jsonOption, type Command } from './command.js';
import { applyProgress, learnerTarget, openLearner, pickExercise, type Ctx, type Learner } from './context.js';

/** Checks one exercise, records the outcome, and on a pass moves on. Shared by `run` and plain watch. */
export async function checkAndRecord(ctx: Ctx, l: Learner, name: string | undefined): Promise<{ verdict: Verdict; next: string | undefined; revealed: string[] }> {
  const exercise = pickExercise(l, name);
  const runner = ctx.makeRunner({ reuse: true });
  let verdict: Verdict;
  try {
    verdict = await runner.check(learnerTarget(l, exercise));
  } finally {
    await runner.close();
  }
  const passed = verdict.status === 'passed';
  const at = new Date().toISOString();
  let revealed: string[] = [];
  let next: string | undefined;
  if (passed) {
    await keepGoing(l, async () => {
      revealed = await revealSolution(l.ws, l.loaded, exercise);
    });
    await applyProgress(l, { type: 'checked', name: exercise.name, passed, at }, { type: 'mark-done', name: exercise.name });
    next = nextPending(l.progress, l.order, exercise.name);
    if (next !== undefined) await applyProgress(l, { type: 'select', name: next });
  } else {
    await applyProgress(l, { type: 'checked', name: exercise.name, passed, at }, { type: 'select', name: exercise.name });
  }
  return { verdict, next, revealed };
}

export const runCommand: Command = {
  name: 'run',
  summary: 'check one exercise (default: the current one) and print the verdict',
  usage: 'async-lessons run [name] [--json]',
  details: 'On a pass the exercise counts as done, its reference solution appears in solutions/, and the next exercise becomes current.',
  options: { ...jsonOption },
  args: { min: 0, max: 1 },
  async run(ctx, { values, positionals }) {
    const l = await openLearner(ctx);
    // Passed before: its solution was revealed then, and saying "is now in" again would be news that is not.
    const before = entryOf(l.progress, pickExercise(l, positionals[0]).name);
    const passedBefore = before.firstPassAt !== null || before.status === 'done';
    const { verdict, next, revealed } = await checkAndRecord(ctx, l, positionals[0]);
    if (values.json) {
      ctx.print(JSON.stringify({ ...verdict, next: next ?? null, solution: revealed }));
      if (l.unsaved) throw l.unsaved;
      return verdict.status === 'passed' ? 0 : 1;
    }
    for (const line of formatVerdict(verdict, ctx.style, { lessonFor: (kind) => diagnosisLessonFile(l.loaded.course.diagnosisLessons, kind) })) ctx.print(line);
    if (verdict.timeline) for (const line of ['', ...renderTimeline(verdict.timeline, process.stdout.columns || 80, ctx.style)]) ctx.print(line);
    // The verdict stands; what it would have recorded did not happen, and the learner must know why.
    if (l.unsaved) throw l.unsaved;
    const exercise = l.loaded.course.exercises.find((e) => e.name === verdict.exercise)!;
    if (verdict.status === 'passed') {
      if (revealed.length > 0) ctx.print(ctx.style.dim(passedBefore ? `  Its reference solution is in ${revealed.join(', ')} (since your first pass).` : `  The reference solution is now in ${revealed.join(', ')}.`));
      if (next !== undefined) {
        const n = l.loaded.course.exercises.find((e) => e.name === next)!;
        ctx.print(`Next: ${ctx.style.bold(next)} — edit exercises/${n.mainFile}, then \`async-lessons run\`.`);
      } else {
        ctx.print(ctx.style.green('Every exercise is done. Well done!'));
        if (l.loaded.course.finalMessage) ctx.print(l.loaded.course.finalMessage.trim());
      }
      return 0;
    }
    ctx.print(ctx.style.dim(`Edit exercises/${exercise.mainFile} and run again; \`async-lessons hint\` gives a hint.`));
    return 1;
  },
};
