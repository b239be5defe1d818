import type { GradeStatus, GradedExercise, StudentGrade } from '../../core/grading.js';
import type { GradeReporter, GradeStart } from './reporter.js';

/*
 * The screen: a progress bar while submissions are graded (redrawn in place on a terminal, one
 * plain line per submission otherwise), then a table of every student — a mark per exercise,
 * points — and the notes an instructor must act on (refused files, tampering, ungradable rows).
 * Why each exercise failed is in grades.json; on screen it would be thousands of lines.
 */

export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const MARKS: Record<GradeStatus, string> = {
  passed: '✓',
  failed: '✗',
  'compile-error': 'C',
  'type-error': 'T',
  timeout: 'H',
  crashed: '!',
  'rewrote-builtins': 'B',
  missing: '-',
  refused: 'R',
  'not-graded': '?',
};

const LEGEND = '✓ passed  ✗ failed  C compile error  T type error  H hang (timeout)  ! crashed  B rewrote built-ins  - missing  R refused  ? not graded';

/** How to lay a line out on the terminal, where its width is known. */
export interface Layout {
  /** A long line wrapped at spaces: the terminal would cut words in two. */
  wrap(line: string): string[];
  /** A line cut to one row: the progress bar redraws itself one row up. */
  fit(line: string): string;
}

export function tableReporter(out: { write(text: string): void; tty: boolean; paint: Paint; layout?: Layout }): GradeReporter {
  const { paint, layout } = out;
  let exercises: GradedExercise[] = [];
  let course = { name: '', version: '' };
  let isolation: GradeStart['isolation'] | undefined;
  let total = 0;
  let done = 0;
  const line = (s = '') => {
    for (const l of layout ? layout.wrap(s) : [s]) out.write(`${l}\n`);
  };
  const colour = (status: GradeStatus, s: string) => (status === 'passed' ? paint.green(s) : status === 'failed' || status === 'missing' ? paint.red(s) : paint.yellow(s));
  return {
    onStart(start) {
      exercises = start.exercises;
      course = start.course;
      isolation = start.isolation;
      total = start.students.length;
      const max = exercises.reduce((n, e) => n + e.points, 0);
      line(`Grading ${total} submission${total === 1 ? '' : 's'} on ${start.course.name} ${start.course.version}: ${exercises.length} exercises, ${max} points, ${start.jobs} at a time.`);
    },
    onSubmissionEnd(grade, ms) {
      done += 1;
      const text = `[${done}/${total}] ${grade.student}: ${grade.noSubmission ? 'no submission (on the roster)' : `${grade.points}/${grade.max} (${(ms / 1000).toFixed(1)} s)`}`;
      if (!out.tty) return line(text);
      const width = 24;
      const filled = Math.round((done / Math.max(1, total)) * width);
      // On a terminal the bar replaces itself: up one line, clear it, draw the new one.
      const bar = `${paint.green('█'.repeat(filled))}${paint.dim('░'.repeat(width - filled))} ${text}`;
      out.write(`${done > 1 ? '\u001b[1A\u001b[2K' : ''}${layout ? layout.fit(bar) : bar}\n`);
    },
    onEnd({ students, durationMs }) {
      line();
      const idWidth = Math.max(7, ...students.map((s) => s.student.length));
      const pts = Math.max(6, ...students.map((s) => `${s.points}/${s.max}`.length));
      line(paint.bold(`${'student'.padEnd(idWidth)}  ${'points'.padStart(pts)}  exercises (${exercises.map((e, i) => `${i + 1} ${e.name}`).join(', ')})`));
      for (const s of students) {
        const marks = s.exercises.map((e) => colour(e.status, MARKS[e.status])).join('');
        const flag = notesOf(s, course).length > 0 ? paint.yellow('  see notes') : '';
        line(`${s.student.padEnd(idWidth)}  ${`${s.points}/${s.max}`.padStart(pts)}  ${marks}${flag}`);
      }
      line(paint.dim(LEGEND));
      const notes = students.flatMap((s) => notesOf(s, course));
      if (notes.length > 0) {
        line();
        line(paint.bold('Notes'));
        for (const n of notes) line(`  ${n}`);
      }
      line();
      if (isolation) line(paint.dim(`Isolation: ${isolation.level}.${isolation.missing.length > 0 ? ` Not in force: ${isolation.missing.join('; ')}.` : ''}`));
      line(paint.dim(`Graded ${students.length} submission${students.length === 1 ? '' : 's'} in ${(durationMs / 1000).toFixed(1)} s.`));
    },
  };
}

function notesOf(s: StudentGrade, course: { name: string; version: string }): string[] {
  const out = s.problems.map((p) => `${s.student}: ${p}`);
  if (s.notOnRoster) out.push(`${s.student}: not on the roster (graded all the same)`);
  if (s.madeWith) out.push(`${s.student}: made with ${s.madeWith.course} ${s.madeWith.version}; graded against the installed ${course.name} ${course.version} (a flag only: the grade is the same)`);
  for (const e of s.exercises) if (e.rewrote) out.push(`${s.student}: ${e.exercise}: ${e.reason} (no points: its tests prove nothing)`);
  for (const e of s.exercises) if (e.tampered.length > 0) out.push(`${s.student}: ${e.exercise}: tampered (graded with the pristine checks): ${e.tampered.join(', ')}`);
  if (s.tampered.length > 0) out.push(`${s.student}: tampered course files (never used for grading): ${s.tampered.join(', ')}`);
  return out;
}
