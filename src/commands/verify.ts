import path from 'node:path';
import type { Verdict } from '../core/verdict.js';
import type { CheckTarget } from '../node/engine/index.js';
import { readLock } from '../node/course-lock.js';
import { formatVerdict, verdictSummary } from '../ui/format-verdict.js';
import { courseOption, jsonOption, type Command } from './command.js';
import { applyProgress, learnerTarget, openCourse, openLearner, plural, type Ctx } from './context.js';
import { findWorkspace } from '../node/workspace.js';
import { exists } from '../node/fs-utils.js';

function report(ctx: Ctx, verdicts: Verdict[], json: boolean, verbose: boolean, extra: Record<string, unknown>): number {
  const failed = verdicts.filter((v) => v.status !== 'passed');
  if (json) {
    ctx.print(JSON.stringify({ ...extra, passed: verdicts.length - failed.length, failed: failed.length, verdicts }));
    return failed.length === 0 ? 0 : 1;
  }
  if (verbose) for (const v of failed) for (const line of formatVerdict(v, ctx.style)) ctx.print(line);
  const summary = `${verdicts.length - failed.length} of ${plural(verdicts.length, 'exercise')} passed`;
  ctx.print(failed.length === 0 ? ctx.style.green(summary) : ctx.style.red(`${summary}; ${failed.length} failed.`));
  return failed.length === 0 ? 0 : 1;
}

const line = (ctx: Ctx, v: Verdict) =>
  ctx.print(v.status === 'passed' ? `${ctx.style.green('✓')} ${v.exercise}` : `${ctx.style.red('✗')} ${v.exercise} — ${verdictSummary(v)}`);

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check every exercise and print a summary (exit 1 if any fails)',
  usage: 'async-lessons verify [--json] [--verbose] [--course DIR] [--solutions]',
  details:
    'In a workspace it checks your files and records every pass as done. In a course folder (or with --course, or --solutions) it checks the course\'s reference solutions instead.',
  options: { ...jsonOption, ...courseOption, solutions: { type: 'boolean' }, verbose: { type: 'boolean' } },
  args: { min: 0, max: 0 },
  async run(ctx, { values }) {
    const json = Boolean(values.json);
    const verbose = Boolean(values.verbose);
    const inWorkspace = !values.course && !values.solutions && !(await exists(path.join(ctx.cwd, 'info.toml'))) && (await findWorkspace(ctx.cwd)) !== undefined;
    const runner = ctx.makeRunner();
    try {
      if (inWorkspace) {
        const l = await openLearner(ctx);
        const targets = l.loaded.course.exercises.map((e) => learnerTarget(l, e));
        const verdicts = await runner.checkMany(targets, json ? undefined : (v) => line(ctx, v));
        const at = new Date().toISOString();
        await applyProgress(
          l,
          ...verdicts.flatMap((v) =>
            v.status === 'passed' ? [{ type: 'checked' as const, name: v.exercise, passed: true, at }, { type: 'mark-done' as const, name: v.exercise }] : [],
          ),
        );
        return report(ctx, verdicts, json, verbose, { mode: 'workspace' });
      }
      const { loaded } = await openCourse(ctx, values.course as string | undefined);
      const lock = await readLock(loaded.root);
      const targets: CheckTarget[] = loaded.course.exercises.map((exercise) => {
        const expected = lock?.exercises[exercise.name]?.tests;
        return {
          courseRoot: loaded.root,
          exercise,
          learner: { dir: path.join(loaded.root, 'solutions'), displayBase: loaded.root },
          ...(expected ? { expectedTests: expected } : {}),
        };
      });
      if (!json) ctx.print(ctx.style.dim(`Checking the reference solutions of ${loaded.id.name} ${loaded.id.version} (${loaded.root})`));
      const verdicts = await runner.checkMany(targets, json ? undefined : (v) => line(ctx, v));
      return report(ctx, verdicts, json, verbose, { mode: 'solutions', course: loaded.id });
    } finally {
      await runner.close();
    }
  },
};
