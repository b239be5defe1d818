import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DiagnosisKind } from '../../core/verdict.js';
import type { ExerciseGrade, GradedExercise, StudentGrade } from '../../core/grading.js';
import { writeFileAtomic } from '../fs-utils.js';
import type { GradeReporter, GradeStart } from './reporter.js';

/*
 * feedback/<student>.md: what a student reads about their grade — per exercise the status and
 * points, why it did not pass (the first failing test and its message, the kind of hang, the
 * compile error with its place), what to try next, and the files they changed that grading did
 * not use. Made only from the grade, so it is byte-identical across runs like grades.json.
 */

const STATUS: Record<ExerciseGrade['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  'compile-error': 'does not compile',
  'type-error': 'type error',
  timeout: 'did not finish (timeout)',
  crashed: 'crashed',
  'rewrote-builtins': 'changed built-ins, no points',
  missing: 'missing',
  refused: 'refused',
  'not-graded': 'not graded',
};

const HANG_NEXT: Record<DiagnosisKind, string> = {
  'blocked-event-loop': 'Your code kept the event loop busy, so no timer or promise callback could run. Find the loop that never gives way (a `while` waiting for something that only a callback could change) and let it await instead.',
  'never-settled': 'A promise was awaited that never resolved or rejected. Check that every path of your code calls `resolve` or `reject` (or returns), including the error paths.',
  'open-handles': 'A timer or socket was still running when the test ended. Clear the timers you start and close what you open, also when something fails.',
};

function next(e: ExerciseGrade, hint: string | undefined): string[] {
  const run = `Run \`async-lessons run ${e.exercise}\` in your workspace to see it as the checks do.`;
  const withHint = (text: string) => (hint ? [text, `Hint: ${hint}`] : [text]);
  switch (e.status) {
    case 'passed':
      return [];
    case 'failed':
      return withHint(`${run} Fix the first failing test first; the others often follow.`);
    case 'compile-error':
      return withHint('The file does not parse: fix the syntax at the place named above, then run it again.');
    case 'type-error':
      return withHint(`${run} The type checker names the line and what it expected.`);
    case 'timeout':
      return withHint(e.diagnosis ? HANG_NEXT[e.diagnosis] : `${run}`);
    case 'crashed':
      return withHint(`Your code stopped the process that runs the checks (for example with \`process.exit\`). ${run}`);
    case 'rewrote-builtins':
      return [`Your code changes built-ins the checks rely on (${(e.rewrote ?? []).join(', ')}), so its tests prove nothing and the exercise gets no points. Remove that code and solve the exercise with the real ones. ${run}`];
    case 'missing':
      return ['Hand in the file(s) named above, in the place the course put them.'];
    case 'refused':
      return ['Hand in plain files (no symbolic links) in a plain folder or archive; ask your instructor if you do not know why this was refused.'];
    case 'not-graded':
      return ['Ask your instructor: this exercise could not be graded.'];
  }
}

/** A fenced block that no backtick run in the text can close early. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

export function feedbackMarkdown(s: StudentGrade, start: Pick<GradeStart, 'course' | 'exercises'>): string {
  const hints = new Map(start.exercises.map((e: GradedExercise) => [e.name, e.hint]));
  const out = [`# Feedback for ${s.student}`, '', `${start.course.name} ${start.course.version}: **${s.points} of ${s.max} points**, ${s.exercises.filter((e) => e.status === 'passed').length} of ${s.exercises.length} exercises passed.`, ''];
  const notes = [...s.problems];
  if (s.madeWith) notes.push(`Your workspace was made with ${s.madeWith.course} ${s.madeWith.version}; it was graded with the checks of ${start.course.name} ${start.course.version}.`);
  if (s.tampered.length > 0) notes.push(`These course files differ from the originals and were not used: ${s.tampered.map((f) => `\`${f}\``).join(', ')}.`);
  if (notes.length > 0) out.push(...notes.map((n) => `- ${n}`), '');
  for (const e of s.exercises) {
    out.push(`## ${e.exercise} (${e.topic}): ${STATUS[e.status]}, ${e.points}/${e.max}`, '');
    if (e.reason) out.push(fenced(e.firstFailure ? `test "${e.firstFailure.test}" failed:\n${e.firstFailure.message}` : e.reason), '');
    if (e.tampered.length > 0) out.push(`You changed ${e.tampered.map((f) => `\`${f}\``).join(', ')}. Grading used the course's original ${e.tampered.length === 1 ? 'copy' : 'copies'}, so the change did not count.`, '');
    const todo = next(e, hints.get(e.exercise));
    if (todo.length > 0) out.push(...todo.map((t) => `- ${t}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Student ids are folder or archive names: kept readable, but never a path. */
export const feedbackFileName = (student: string) => `${student.replace(/[^A-Za-z0-9._~@+-]/g, '_').replace(/^\.+/, '_')}.md`;

export function feedbackReporter(dir: string): GradeReporter {
  let start: GradeStart | undefined;
  return {
    onStart(s) {
      start = s;
    },
    async onEnd({ students }) {
      // A re-run into the same --out must not leave the feedback of students no longer graded.
      for (const f of await readdir(dir).catch(() => [])) if (f.endsWith('.md')) await rm(path.join(dir, f), { force: true });
      const used = new Set<string>();
      for (const s of students) {
        let name = feedbackFileName(s.student);
        for (let n = 2; used.has(name); n++) name = feedbackFileName(`${s.student}~${n}`);
        used.add(name);
        await writeFileAtomic(path.join(dir, name), feedbackMarkdown(s, start!));
      }
    },
  };
}
