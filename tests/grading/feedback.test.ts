import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { gradeExercise, gradeStudent, noSubmission, ungradable, type ExerciseInput } from '../../src/core/grading.js';
import { classroomResult, pointsLine } from '../../src/node/grading/classroom-reporter.js';
import type { Verdict } from '../../src/core/verdict.js';
import { feedbackFileName, feedbackMarkdown, feedbackReporter } from '../../src/node/grading/feedback-reporter.js';

/* The student's feedback file: made from the grade alone, so it says the same thing every run. */

const exercises = [
  { name: 'join', dir: '03_combinators', points: 3, hint: 'join waits for both futures' },
  { name: 'select', dir: '03_combinators', points: 1 },
  { name: 'spin', dir: '04_runtimes', points: 1, hint: 'yield to the loop' },
  { name: 'parse', dir: '01_basics', points: 1 },
  { name: 'gone', dir: '01_basics', points: 1 },
];
const start = { course: { name: 'async-lessons', version: '1.0.0' }, exercises };
const verdict = (v: Record<string, unknown>): ExerciseInput => ({ kind: 'verdict', verdict: { exercise: 'x', durationMs: 5, tests: [], console: [], warnings: [], ...v } as unknown as Verdict });

const ann = gradeStudent(
  'ann',
  [
    gradeExercise(exercises[0]!, verdict({ status: 'failed', tests: [{ name: 'polls both', state: 'failed', durationMs: 1, message: 'expected 1 to be 2 ```' }] }), ['exercises/03_combinators/join.test.ts']),
    gradeExercise(exercises[1]!, verdict({ status: 'passed' })),
    gradeExercise(exercises[2]!, verdict({ status: 'timeout', diagnosis: { kind: 'blocked-event-loop', test: 'spins', message: 'for 2.1 s' } })),
    gradeExercise(exercises[3]!, verdict({ status: 'compile-error', message: 'Expected `;`\nmore', frame: { file: 'exercises/01_basics/parse.ts', line: 4, column: 9, lines: [] } })),
    gradeExercise(exercises[4]!, { kind: 'missing', files: ['exercises/01_basics/gone.ts'] }),
  ],
  [],
  ['exercises/_lib/math.d.ts'],
);

test('per exercise: status, points, why, what next, and the changed files that did not count', () => {
  const md = feedbackMarkdown({ ...ann, madeWith: { course: 'async-lessons', version: '0.9.0' } }, start);
  expect(md).toBe(
    [
      '# Feedback for ann',
      '',
      'async-lessons 1.0.0: **1 of 7 points**, 1 of 5 exercises passed.',
      '',
      '- Your workspace was made with async-lessons 0.9.0; it was graded with the checks of async-lessons 1.0.0.',
      '- These course files differ from the originals and were not used: `exercises/_lib/math.d.ts`.',
      '',
      '## join (03_combinators): failed, 0/3',
      '',
      // The fence is longer than any backtick run in the message.
      '````text\ntest "polls both" failed:\nexpected 1 to be 2 ```\n````',
      '',
      "You changed `exercises/03_combinators/join.test.ts`. Grading used the course's original copy, so the change did not count.",
      '',
      '- Run `async-lessons run join` in your workspace to see it as the checks do. Fix the first failing test first; the others often follow.',
      '- Hint: join waits for both futures',
      '',
      '## select (03_combinators): passed, 1/1',
      '',
      '## spin (04_runtimes): did not finish (timeout), 0/1',
      '',
      '```text\nblocked the event loop (test "spins")\n```',
      '',
      '- Your code kept the event loop busy, so no timer or promise callback could run. Find the loop that never gives way (a `while` waiting for something that only a callback could change) and let it await instead.',
      '- Hint: yield to the loop',
      '',
      '## parse (01_basics): does not compile, 0/1',
      '',
      '```text\nexercises/01_basics/parse.ts:4:9: Expected `;`\n```',
      '',
      '- The file does not parse: fix the syntax at the place named above, then run it again.',
      '',
      '## gone (01_basics): missing, 0/1',
      '',
      '```text\nexercises/01_basics/gone.ts is not in the submission\n```',
      '',
      '- Hand in the file(s) named above, in the place the course put them.',
      '',
    ].join('\n'),
  );
  // Nothing measured: the 2.1 s of the diagnosis stays out.
  expect(md).not.toContain('2.1 s');
});

test('file names are the id, made safe; a re-run replaces the old files', async () => {
  expect(['amy', 'o.neil', '..', 'a b/c', 'zoë'].map(feedbackFileName)).toEqual(['amy.md', 'o.neil.md', '_.md', 'a_b_c.md', 'zo_.md']);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'al-feedback-'));
  try {
    await mkdir(path.join(dir, 'fb'));
    await writeFile(path.join(dir, 'fb', 'left-over.md'), 'old');
    const r = feedbackReporter(path.join(dir, 'fb'));
    r.onStart?.({ ...start, students: [], jobs: 1, isolation: { level: '', details: [], missing: [] } });
    const absent = noSubmission('zoé', exercises);
    await r.onEnd?.({ students: [ann, absent, { ...absent, student: 'zoè' }], durationMs: 1, durations: new Map() });
    expect((await readdir(path.join(dir, 'fb'))).sort()).toEqual(['ann.md', 'zo_.md', 'zo_~2.md']);
    expect(await readFile(path.join(dir, 'fb', 'zo_.md'), 'utf8')).toContain('- on the roster, but no submission was found');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('classroom: a refused or ungradable exercise is an error, not a plain failure', () => {
  const refused = ungradable('ann', exercises.slice(0, 2), 'ann.zip was refused: entry "../x" climbs out', 'refused');
  expect(classroomResult(refused)).toMatchObject({ status: 'error', max_score: 4, tests: [{ name: 'join', status: 'error', score: 0, max_score: 3, message: 'refused: ann.zip was refused: entry "../x" climbs out' }, { status: 'error' }] });
  expect(classroomResult(ann).status).toBe('fail');
  expect(pointsLine(ann)).toBe('Points 1/7');
});
