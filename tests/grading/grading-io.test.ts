import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StudentGrade } from '../../src/core/grading.js';
import type { Verdict } from '../../src/core/verdict.js';
import type { CheckRunner, CheckTarget } from '../../src/node/engine/index.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { csvCell, csvReporter } from '../../src/node/grading/csv-reporter.js';
import { gradeClass } from '../../src/node/grading/grade-class.js';
import { junitReporter } from '../../src/node/grading/junit-reporter.js';
import type { GradeReporter } from '../../src/node/grading/reporter.js';
import { tableReporter } from '../../src/node/grading/table-reporter.js';
import { MAX_FILE_BYTES, readNoFollow } from '../../src/node/grading/safe-read.js';
import { findSubmissions } from '../../src/node/grading/submissions.js';
import { pristineFiles, tamperedFiles } from '../../src/node/grading/tamper.js';
import { initWorkspace } from '../../src/node/workspace.js';
import { fit, wrapLine } from '../../src/ui/text.js';
import { miniCourse } from '../helpers.js';

/* The grader's IO without the engine: reading submissions, finding them, tamper evidence, and the
 * run around a runner (a fake one here, so a failing runner can be made on purpose). */

let dir: string;
let loaded: LoadedCourse;
let template: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'al-grading-io-'));
  loaded = await loadCourse(miniCourse);
  template = path.join(dir, 'template');
  await initWorkspace(template, loaded);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readNoFollow', () => {
  test('reads plain files; refuses links anywhere in the path, folders and huge files', async () => {
    const root = path.join(dir, 'read');
    await mkdir(path.join(root, 'real'), { recursive: true });
    await writeFile(path.join(root, 'real/a.ts'), 'x');
    await symlink(path.join(root, 'real/a.ts'), path.join(root, 'real/link.ts'));
    await symlink(path.join(root, 'real'), path.join(root, 'linkdir'));
    await writeFile(path.join(root, 'real/big.ts'), Buffer.alloc(MAX_FILE_BYTES + 1));
    expect(await readNoFollow(root, 'real/a.ts')).toEqual({ kind: 'file', content: Buffer.from('x') });
    expect(await readNoFollow(root, 'real/none.ts')).toEqual({ kind: 'missing' });
    expect(await readNoFollow(root, 'nowhere/none.ts')).toEqual({ kind: 'missing' });
    expect(await readNoFollow(root, 'real/link.ts')).toEqual({ kind: 'refused', reason: 'real/link.ts is a symbolic link; links are not followed' });
    expect(await readNoFollow(root, 'linkdir/a.ts')).toEqual({ kind: 'refused', reason: 'linkdir is a symbolic link; links are not followed' });
    expect(await readNoFollow(root, 'real')).toEqual({ kind: 'refused', reason: 'real is not a plain file' });
    expect(await readNoFollow(root, 'real/big.ts')).toMatchObject({ kind: 'refused', reason: 'real/big.ts is larger than 1024 KB' });
  });
});

describe('findSubmissions', () => {
  test('workspaces, class folders and bad input, each a row in id order', async () => {
    const cls = path.join(dir, 'class');
    await mkdir(path.join(cls, 'zoe/exercises'), { recursive: true });
    await mkdir(path.join(cls, 'amy/.async-lessons'), { recursive: true });
    await mkdir(path.join(cls, 'stray'), { recursive: true });
    await mkdir(path.join(cls, '.git'), { recursive: true });
    await writeFile(path.join(cls, 'roster.csv'), 'amy\n');
    await symlink(path.join(cls, 'zoe'), path.join(cls, 'zed'));
    await mkdir(path.join(dir, 'empty-class'));
    await writeFile(path.join(dir, 'sub.zip'), '');
    await writeFile(path.join(dir, 'notes.txt'), '');
    const found = await findSubmissions(['class', template, 'gone', 'empty-class', 'sub.zip', 'notes.txt'], dir, { extractDir: path.join(dir, 'unpacked') });
    expect(found).toEqual([
      { id: 'amy', dir: path.join(cls, 'amy') },
      { id: 'empty-class', dir: path.join(dir, 'empty-class'), problem: `${path.join(dir, 'empty-class')} is neither a workspace nor a folder of workspaces` },
      { id: 'gone', dir: path.join(dir, 'gone'), problem: `${path.join(dir, 'gone')}: no such folder` },
      { id: 'notes.txt', dir: path.join(dir, 'notes.txt'), problem: `${path.join(dir, 'notes.txt')} is neither a folder nor an archive (.zip, .tar.gz, .tgz, .tar)` },
      { id: 'stray', dir: path.join(cls, 'stray'), problem: `${path.join(cls, 'stray')} is not a workspace (it has no exercises/ folder)` },
      { id: 'sub', dir: path.join(dir, 'sub.zip'), problem: `${path.join(dir, 'sub.zip')} was refused: it is not a readable zip archive (End of central directory record signature not found. Either not a zip file, or file is truncated.)`, refused: true },
      { id: 'template', dir: template },
      { id: 'zed', dir: path.join(cls, 'zed'), problem: `${path.join(cls, 'zed')} is a symbolic link; links are not followed` },
      { id: 'zoe', dir: path.join(cls, 'zoe') },
    ]);
  });
});

describe('tamperedFiles', () => {
  test('a fresh workspace has none; edited, deleted and linked checks are named by exercise', async () => {
    const exercises = loaded.course.exercises.filter((e) => e.name !== 'missing_on_disk');
    const pristine = await pristineFiles(loaded.root, exercises);
    const clean = await tamperedFiles(template, pristine);
    expect([...clean.byExercise.values()].flat().concat(clean.shared)).toEqual([]);

    const ws = path.join(dir, 'tampered');
    await initWorkspace(ws, loaded);
    const ex = path.join(ws, 'exercises');
    await writeFile(path.join(ex, '01_basics/fails.test.ts'), 'test.skip');
    await rm(path.join(ex, '01_basics/passes.test.ts'));
    await rm(path.join(ex, '02_hangs/never_settles.test.ts'));
    await symlink(path.join(template, 'exercises/02_hangs/never_settles.test.ts'), path.join(ex, '02_hangs/never_settles.test.ts'));
    await writeFile(path.join(ex, '_lib/math.d.ts'), 'export {};');
    await writeFile(path.join(ex, '_lib/math.ts'), await readFile(path.join(miniCourse, 'exercises/_lib/math.ts')));
    const found = await tamperedFiles(ws, pristine);
    expect(Object.fromEntries([...found.byExercise].filter(([, f]) => f.length > 0))).toEqual({
      fails: ['exercises/01_basics/fails.test.ts'],
      passes: ['exercises/01_basics/passes.test.ts (deleted)'],
      never_settles: ['exercises/02_hangs/never_settles.test.ts (is a symbolic link; links are not followed)'],
    });
    // An old workspace's copy of the library code is fine when it is the course's own.
    expect(found.shared).toEqual(['exercises/_lib/math.d.ts']);
  });
});

const id = (s: string) => s;

/** Passes every exercise, unless the learner's file says THROW (then the whole runner fails). */
class FakeRunner implements CheckRunner {
  static closed = 0;
  async check(t: CheckTarget): Promise<Verdict> {
    return { exercise: t.exercise.name, status: 'passed', durationMs: 1, tests: [{ name: 'ok', state: 'passed', durationMs: 1 }], console: [], warnings: [] };
  }
  async checkMany(targets: readonly CheckTarget[], onVerdict?: (v: Verdict, i: number) => void): Promise<Verdict[]> {
    const out: Verdict[] = [];
    for (const [i, t] of targets.entries()) {
      if ((await readFile(path.join(t.learner.dir, t.exercise.mainFile), 'utf8')).includes('THROW')) throw new Error('the host would not start\nstack');
      out.push(await this.check(t));
      onVerdict?.(out[i]!, i);
    }
    return out;
  }
  async close(): Promise<void> {
    FakeRunner.closed += 1;
  }
}

describe('gradeClass around a runner', () => {
  test('a runner that fails keeps the row with its reason; the others are graded; copies are removed; order is by id', async () => {
    const cls = path.join(dir, 'run-class');
    for (const name of ['cat', 'ann', 'bob']) await initWorkspace(path.join(cls, name), loaded);
    await writeFile(path.join(cls, 'bob/exercises/01_basics/fails.ts'), '// THROW');
    const exercises = loaded.course.exercises.filter((e) => ['passes', 'fails', 'syntax_error'].includes(e.name));
    const events: string[] = [];
    let csv = '';
    let junit = '';
    const spy: GradeReporter = {
      onSubmissionStart: (s) => void events.push(`start ${s}`),
      onExercise: (s, g) => void events.push(`${s} ${g.exercise} ${g.status}`),
      onSubmissionEnd: (g) => void events.push(`end ${g.student} ${g.points}`),
    };
    const tmpRoot = path.join(dir, 'grade-tmp');
    await mkdir(tmpRoot);
    const students: StudentGrade[] = await gradeClass({
      course: loaded,
      exercises,
      lock: undefined,
      submissions: await findSubmissions([cls], dir),
      jobs: 2,
      reporters: [spy, csvReporter(async (t) => void (csv = t)), junitReporter(async (t) => void (junit = t))],
      makeRunner: () => new FakeRunner(),
      tmpRoot,
    });
    expect(students.map((s) => [s.student, s.points, s.problems])).toEqual([
      ['ann', 3, []],
      // What was graded before the runner failed is kept.
      ['bob', 1, ['grading stopped: the host would not start']],
      ['cat', 3, []],
    ]);
    expect(students[1]!.exercises.map((e) => [e.status, e.reason])).toEqual([['passed', undefined], ['not-graded', 'grading stopped: the host would not start'], ['not-graded', 'grading stopped: the host would not start']]);
    expect(FakeRunner.closed).toBe(3);
    expect(events.filter((e) => e.startsWith('end'))).toHaveLength(3);
    expect(events).toContain('ann fails passed');
    expect(csv).toBe('student,passes,fails,syntax_error,total\r\nann,1,1,1,3\r\nbob,1,0,0,1\r\ncat,1,1,1,3\r\n');
    expect(junit).toContain('<testsuite name="bob" tests="3" failures="0" skipped="2">');
    expect(junit).toContain('<testcase classname="bob" name="fails"><skipped message="grading stopped: the host would not start"/></testcase>');
    expect(junit).toContain('<testcase classname="ann" name="passes"/>');
    await expect(readdir(tmpRoot)).rejects.toThrow(/ENOENT/);
  });
});

describe('gradeClass with a roster, and a workspace of another course version', () => {
  test('absent students are rows of missing in every output; unlisted and other-version ones are flagged, grades unchanged', async () => {
    const cls = path.join(dir, 'roster-class');
    for (const name of ['ann', 'old', 'zed']) await initWorkspace(path.join(cls, name), loaded);
    const meta = path.join(cls, 'old/.async-lessons/workspace.json');
    await writeFile(meta, JSON.stringify({ ...JSON.parse(await readFile(meta, 'utf8')), version: '0.0.1-old' }));
    const exercises = loaded.course.exercises.filter((e) => ['passes', 'fails'].includes(e.name));
    let csv = '';
    let junit = '';
    let lines = '';
    let narrow = '';
    const ended: string[] = [];
    const students = await gradeClass({
      course: loaded,
      exercises,
      lock: undefined,
      submissions: await findSubmissions([cls], dir),
      jobs: 1,
      reporters: [
        { onStart: (s) => void ended.push(`start ${s.students.join(' ')}`), onSubmissionEnd: (g) => void ended.push(g.student) },
        csvReporter(async (t) => void (csv = t)),
        junitReporter(async (t) => void (junit = t)),
        tableReporter({ write: (t) => void (lines += t), tty: false, paint: { red: id, green: id, yellow: id, dim: id, bold: id } }),
        // A 40-column terminal (the CLI passes the real width): ui/text's wrap and fit.
        tableReporter({ write: (t) => void (narrow += t), tty: true, paint: { red: id, green: id, yellow: id, dim: id, bold: id }, layout: { wrap: (l) => wrapLine(l, 40), fit: (l) => fit(l, 40) } }),
      ],
      makeRunner: () => new FakeRunner(),
      tmpRoot: path.join(dir, 'roster-tmp'),
      roster: new Set(['ann', 'bea', 'old']),
    });
    expect(ended[0]).toBe('start ann bea old zed');
    expect(ended.slice(1).sort()).toEqual(['ann', 'bea', 'old', 'zed']);
    expect(students.map((s) => [s.student, s.points, s.notOnRoster ?? false, s.noSubmission ?? false, s.madeWith])).toEqual([
      ['ann', 2, false, false, undefined],
      ['bea', 0, false, true, undefined],
      // Made with another version: graded like the others, flagged.
      ['old', 2, false, false, { course: loaded.id.name, version: '0.0.1-old' }],
      ['zed', 2, true, false, undefined],
    ]);
    expect(students[1]!.exercises.map((e) => e.status)).toEqual(['missing', 'missing']);
    expect(csv).toBe('student,passes,fails,total\r\nann,1,1,2\r\nbea,0,0,0\r\nold,1,1,2\r\nzed,1,1,2\r\n');
    expect(junit).toContain('<testcase classname="bea" name="passes"><failure type="missing" message="no submission"/></testcase>');
    expect(junit).toContain('<property name="not-on-roster" value="true"/>');
    expect(junit).toContain(`<property name="made-with" value="${loaded.id.name} 0.0.1-old"/>`);
    expect(lines).toMatch(/^bea +0\/2  --  see notes$/m);
    expect(lines).toMatch(/^\[1\/4\] bea: no submission \(on the roster\)$/m);
    expect(lines).toContain('bea: on the roster, but no submission was found');
    expect(lines).toContain('zed: not on the roster (graded all the same)');
    // At the terminal's width no line runs past it and no word is cut in two: notes wrap at spaces
    // (continuations indented under their note), the progress bar is cut to its one row.
    const rows = narrow.replace(/\u001b\[1A\u001b\[2K/g, '').split('\n');
    expect(rows.filter((r) => [...r].length > 40)).toEqual([]);
    expect(narrow).toMatch(/^ {2}old: made with /m);
    expect(narrow).toMatch(/^ {4}\S/m);
    const words = (t: string) => t.split(/\s+/).filter(Boolean);
    const note = lines.split('\n').find((l) => l.includes('old: made with'))!;
    const at = rows.findIndex((r) => r.includes('old: made with'));
    expect(words(rows.slice(at, at + words(note).length).join(' ')).slice(0, words(note).length)).toEqual(words(note));
    expect(rows.filter((r) => r.startsWith('█')).length).toBe(4);
    expect(rows.some((r) => r.startsWith('█') && r.endsWith('…'))).toBe(true);
    expect(lines).toContain(`old: made with ${loaded.id.name} 0.0.1-old; graded against the installed ${loaded.id.name} ${loaded.id.version} (a flag only: the grade is the same)`);
  });
});

test('csvCell quotes what needs it and defuses formulas', () => {
  expect(['plain', 'a,b', 'say "hi"', 'two\nlines', '=HYPERLINK("x")', '-1+1', '@x'].map(csvCell)).toEqual([
    'plain',
    '"a,b"',
    '"say ""hi"""',
    '"two\nlines"',
    `"'=HYPERLINK(""x"")"`,
    "'-1+1",
    "'@x",
  ]);
});
