import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StudentGrade } from '../../src/core/grading.js';
import { makeClass, makeCourse, SECRET } from '../fixtures/grading-class/make-class.js';
import { cli, repoRoot } from '../helpers.js';
import { probeBwrap } from '../../src/node/grading/sandbox.js';

/*
 * `grade` end to end on the fixture class (tests/fixtures/grading-class/README.md): every student
 * gets exactly the grade and the reasons they deserve, and a second run gives the same bytes.
 */

const EXERCISES = ['passes', 'fails', 'syntax_error', 'type_error', 'infinite_loop', 'never_settles', 'exits_at_import', 'throws_at_import', 'unhandled_rejection'];
const solved = Object.fromEntries(EXERCISES.map((e) => [e, 'passed']));
const basicsUnsolved = { ...solved, fails: 'failed', syntax_error: 'compile-error', type_error: 'type-error' };

const EXPECTED: Record<string, { points: number; statuses: Record<string, string> }> = {
  complete: { points: 11, statuses: solved },
  partial: { points: 6, statuses: basicsUnsolved },
  empty: {
    points: 1,
    statuses: { ...basicsUnsolved, infinite_loop: 'timeout', never_settles: 'timeout', exits_at_import: 'crashed', throws_at_import: 'failed', unhandled_rejection: 'failed' },
  },
  tampered: { points: 7, statuses: { ...solved, fails: 'failed', type_error: 'type-error' } },
  'claims-done': { points: 6, statuses: basicsUnsolved },
  loops: { points: 10, statuses: { ...solved, infinite_loop: 'timeout' } },
  exits: { points: 10, statuses: { ...solved, exits_at_import: 'crashed' } },
  'env-reader': { points: 11, statuses: solved },
  linked: { points: 8, statuses: { ...solved, fails: 'refused' } },
  snoop: { points: 8, statuses: { ...solved, fails: 'failed' } },
  rewriter: { points: 8, statuses: { ...solved, fails: 'rewrote-builtins' } },
  spammer: { points: 8, statuses: { ...solved, fails: 'failed' } },
  scribbler: { points: 8, statuses: { ...solved, fails: 'failed' } },
  'missing-file': { points: 8, statuses: { ...solved, fails: 'missing' } },
  notes: { points: 0, statuses: Object.fromEntries(EXERCISES.map((e) => [e, 'not-graded'])) },
  zipped: { points: 11, statuses: solved },
  escape: { points: 0, statuses: Object.fromEntries(EXERCISES.map((e) => [e, 'refused'])) },
};

let work: string;
let course: string;
let classDir: string;
let tmp: string;
const env = () => ({ GRADER_SECRET: SECRET, GITHUB_TOKEN: SECRET, TMPDIR: tmp });

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'al-grade-'));
  course = await makeCourse(work);
  classDir = await makeClass(work, course);
  tmp = path.join(work, 'tmp');
  await mkdir(tmp);
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

const byId = (doc: { students: StudentGrade[] }) => new Map(doc.students.map((s) => [s.student, s]));

describe('async-lessons grade on the fixture class', () => {
  test('each student gets the grade and the reasons they deserve; two runs give the same bytes', async () => {
    const first = await cli(['grade', classDir, '--course', course, '--out', 'out1', '--jobs', '2'], { cwd: work, env: env() });
    expect(first.code, first.all).toBe(0);
    const doc = JSON.parse(await readFile(path.join(work, 'out1/grades.json'), 'utf8'));
    expect(doc.max).toBe(11);
    const students = byId(doc);
    expect([...students.keys()]).toEqual(Object.keys(EXPECTED).sort());
    for (const [id, want] of Object.entries(EXPECTED)) {
      const s = students.get(id)!;
      expect(Object.fromEntries(s.exercises.map((e) => [e.exercise, e.status])), id).toEqual(want.statuses);
      expect(s.points, id).toBe(want.points);
    }
    const ex = (id: string, name: string) => students.get(id)!.exercises.find((e) => e.exercise === name)!;

    // Failures name the first failing test and its message; hangs say which kind.
    expect(ex('partial', 'fails').firstFailure).toEqual({ test: 'adds two numbers', message: expect.stringMatching(/add\(1, 2\) should be 3/) });
    expect(ex('empty', 'infinite_loop').diagnosis).toBe('blocked-event-loop');
    expect(ex('empty', 'never_settles').diagnosis).toBe('never-settled');
    expect(ex('loops', 'infinite_loop')).toMatchObject({ diagnosis: 'blocked-event-loop', reason: 'blocked the event loop (test "counts to ten")' });
    expect(ex('exits', 'exits_at_import').reason).toMatch(/process\.exit\(\) while loading/);

    // Tampered checks are named, and the pristine ones graded the exercise.
    expect(ex('tampered', 'fails').tampered).toEqual(['exercises/01_basics/fails.test.ts']);
    expect(ex('tampered', 'type_error').tampered).toEqual(['exercises/01_basics/type_error.types.ts']);
    expect(students.get('tampered')!.tampered).toEqual(['exercises/_lib/math.d.ts']);
    for (const [id, s] of students) if (id !== 'tampered') expect(s.exercises.flatMap((e) => e.tampered).concat(s.tampered), id).toEqual([]);

    // Refused, missing and not-a-workspace rows say why.
    expect(ex('linked', 'fails').reason).toBe('exercises/01_basics/fails.ts is a symbolic link; links are not followed');
    expect(students.get('linked')!.problems).toEqual(['fails: exercises/01_basics/fails.ts is a symbolic link; links are not followed']);
    expect(ex('missing-file', 'fails').reason).toBe('exercises/01_basics/fails.ts is not in the submission');
    expect(students.get('notes')!.problems).toEqual([`${path.join(classDir, 'notes')} is not a workspace (it has no exercises/ folder)`]);
    const escaped = `${path.join(classDir, 'escape.zip')} was refused: entry "../../../../escaped.txt" climbs out with "..", which would be written outside the submission`;
    expect(students.get('escape')!.problems).toEqual([escaped]);
    expect(ex('escape', 'fails').reason).toBe(escaped);
    await expect(readFile(path.join(work, 'escaped.txt'))).rejects.toThrow(/ENOENT/);

    // Reads outside the package and the submission's own run folder, and every write, were refused
    // inside the student's own check: nothing was read or written, and nobody else was touched.
    expect(ex('snoop', 'fails').reason).toBe('adds two numbers: tried classmate=ERR_ACCESS_DENIED copies=ERR_ACCESS_DENIED out=ERR_ACCESS_DENIED home=ERR_ACCESS_DENIED');
    expect(ex('scribbler', 'fails').reason).toBe('adds two numbers: tried beside=ERR_ACCESS_DENIED classmate=ERR_ACCESS_DENIED tmp=ERR_ACCESS_DENIED own=ERR_ACCESS_DENIED');
    await expect(readFile(path.join(work, 'scribbled.txt'))).rejects.toThrow(/ENOENT/);
    await expect(readFile(path.join(os.tmpdir(), 'scribbled.txt'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(path.join(classDir, 'complete/exercises/01_basics/fails.ts'), 'utf8')).toBe(await readFile(path.join(course, 'solutions/01_basics/fails.ts'), 'utf8'));

    // Rewriting the built-ins its checks use earns nothing, and says so everywhere.
    expect(ex('rewriter', 'fails')).toMatchObject({ points: 0, rewrote: ['replaced Object.is', 'replaced Array.prototype.includes'], reason: 'rewrote built-ins: replaced Object.is, replaced Array.prototype.includes' });

    // Megabytes of output and a megabyte message leave one bounded line, in every output.
    expect(ex('spammer', 'fails').reason).toMatch(/^adds two numbers: (?:Error: )?x{250,}…$/);
    expect(ex('spammer', 'fails').reason!.length).toBeLessThanOrEqual(320);
    expect(JSON.stringify(students.get('spammer')).length).toBeLessThan(6000);

    // The secret never reached student code (env-reader passed), nor any output.
    const outputs = await Promise.all(['grades.json', 'grades.csv', 'grades-run.json'].map((f) => readFile(path.join(work, 'out1', f), 'utf8')));
    for (const text of [...outputs, first.all]) expect(text).not.toContain(SECRET);

    const csv = outputs[1]!;
    expect(csv.split('\r\n')[0]).toBe(`student,${EXERCISES.join(',')},total`);
    expect(csv).toContain('\r\ncomplete,1,3,1,1,1,1,1,1,1,11\r\n');
    expect(csv).toContain('\r\nlinked,1,0,1,1,1,1,1,1,1,8\r\n');
    expect(csv).toContain('\r\nrewriter,1,0,1,1,1,1,1,1,1,8\r\n');

    const junit = await readFile(path.join(work, 'out1/grades.junit.xml'), 'utf8');
    expect(junit).toContain('<testcase classname="exits" name="exits_at_import"><failure type="crashed" message="your code called process.exit() while loading: process.exit unexpectedly called with &quot;0&quot;"/></testcase>');
    expect(junit).toContain('<testcase classname="rewriter" name="fails"><failure type="rewrote-builtins" message="rewrote built-ins: replaced Object.is, replaced Array.prototype.includes"/></testcase>');
    expect(junit).toContain('<testsuite name="complete" tests="9" failures="0" skipped="0">');

    const run = JSON.parse(outputs[2]!);
    // --sandbox auto: bubblewrap where it works here, else the permission model, said as such.
    expect(run.isolation.level).toBe(probeBwrap() ? 'node permission model + scrubbed env + process group (network and some syscalls open)' : 'bubblewrap + node permission model + scrubbed env + process group');
    expect(run.submissions).toHaveLength(17);

    // The screen (not a terminal here): a plain line per submission, then the table and notes.
    expect(first.stdout).toMatch(/^\[\d+\/17\] complete: 11\/11 \(/m);
    expect(first.stdout).toMatch(/^escape +0\/11  RRRRRRRRR  see notes$/m);
    expect(first.stdout).toMatch(/^empty +1\/11  ✓✗CTHH!✗✗$/m);
    expect(first.stdout).toMatch(/^rewriter +8\/11  ✓B✓✓✓✓✓✓✓  see notes$/m);
    expect(first.stdout).toContain('rewriter: fails: rewrote built-ins: replaced Object.is, replaced Array.prototype.includes (no points: its tests prove nothing)');
    expect(first.stdout).toMatch(/tampered: fails: tampered \(graded with the pristine checks\): exercises\/01_basics\/fails\.test\.ts/);

    // A feedback file per student, made from the grade.
    const feedback = path.join(work, 'out1/feedback');
    expect((await readdir(feedback)).sort()).toEqual(Object.keys(EXPECTED).map((id) => `${id}.md`).sort());
    const partial = await readFile(path.join(feedback, 'partial.md'), 'utf8');
    expect(partial).toMatch(/^## fails \(01_basics\): failed, 0\/3\n\n```text\ntest "adds two numbers" failed:\n.*add\(1, 2\) should be 3/m);
    expect(partial).toContain('- Run `async-lessons run fails` in your workspace');
    expect(await readFile(path.join(feedback, 'empty.md'), 'utf8')).toMatch(/## syntax_error \(01_basics\): does not compile, 0\/1\n\n```text\nexercises\/01_basics\/syntax_error\.ts:\d+:\d+: /);
    expect(await readFile(path.join(feedback, 'loops.md'), 'utf8')).toContain('```text\nblocked the event loop (test "counts to ten")\n```');
    expect(await readFile(path.join(feedback, 'rewriter.md'), 'utf8')).toContain('## fails (01_basics): changed built-ins, no points, 0/3\n\n```text\nrewrote built-ins: replaced Object.is, replaced Array.prototype.includes\n```\n\n- Your code changes built-ins the checks rely on (replaced Object.is, replaced Array.prototype.includes), so its tests prove nothing');
    expect(await readFile(path.join(feedback, 'tampered.md'), 'utf8')).toContain("You changed `exercises/01_basics/fails.test.ts`. Grading used the course's original copy, so the change did not count.");

    expect((await readFile(path.join(feedback, 'spammer.md'), 'utf8')).length).toBeLessThan(6000);
    for (const f of ['grades.json', 'grades.csv', 'grades.junit.xml', 'feedback/spammer.md']) expect(await readFile(path.join(work, 'out1', f), 'utf8'), f).not.toContain('spam spam');
    expect(first.all).not.toContain('spam spam');
    expect(first.all.length).toBeLessThan(30_000);

    // Every copy is gone.
    expect((await readdir(tmp)).filter((f) => f.startsWith('async-lessons-grade-'))).toEqual([]);

    // The same input, one at a time this time: the same bytes.
    const second = await cli(['grade', classDir, '--course', course, '--out', 'out2', '--jobs', '1'], { cwd: work, env: env() });
    expect(second.code, second.all).toBe(0);
    for (const f of ['grades.json', 'grades.csv', 'grades.junit.xml', ...Object.keys(EXPECTED).map((id) => `feedback/${id}.md`)]) {
      expect(await readFile(path.join(work, 'out2', f), 'utf8'), f).toBe(await readFile(path.join(work, 'out1', f), 'utf8'));
    }
  }, 300_000);
});

describe('--roster and --points', () => {
  test('a listed student with nothing handed in is missing everywhere; points come from the table; a typo is a usage error', async () => {
    await writeFile(path.join(work, 'roster.csv'), 'login,name\ncomplete,C. Omplete\nghost,G. Host\n');
    await writeFile(path.join(work, 'points.toml'), 'passes = 2\nfails = 5\n');
    const args = ['grade', path.join(classDir, 'complete'), '--course', course, '--only', 'passes,fails', '--roster', 'roster.csv'];
    const r = await cli([...args, '--points', 'points.toml', '--out', 'out-roster'], { cwd: work, env: env() });
    expect(r.code, r.all).toBe(0);
    expect(await readFile(path.join(work, 'out-roster/grades.csv'), 'utf8')).toBe('student,passes,fails,total\r\ncomplete,2,5,7\r\nghost,0,0,0\r\n');
    const doc = JSON.parse(await readFile(path.join(work, 'out-roster/grades.json'), 'utf8'));
    expect(doc.max).toBe(7);
    expect(doc.students.map((s: StudentGrade) => [s.student, s.points, s.max, s.noSubmission ?? false])).toEqual([['complete', 7, 7, false], ['ghost', 0, 7, true]]);
    expect(r.stdout).toMatch(/^ghost +0\/7  --  see notes$/m);

    await writeFile(path.join(work, 'typo.json'), '{ "passes": 2, "fials": 5 }');
    const typo = await cli([...args, '--points', 'typo.json'], { cwd: work, env: env() });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`--points ${path.join(work, 'typo.json')}: the course has no exercise named "fials".`);
  }, 120_000);
});

describe('--classroom', () => {
  test('one submission: Points X/Y last, the grading reporter runner result in a file and in GITHUB_OUTPUT; a class is a usage error', async () => {
    const output = path.join(work, 'github-output');
    await writeFile(output, 'earlier=1\n');
    const r = await cli(['grade', path.join(classDir, 'partial'), '--course', course, '--only', 'passes,fails', '--classroom', '--out', 'out-classroom'], { cwd: work, env: { ...env(), GITHUB_OUTPUT: output } });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Points 1/4');
    const result = JSON.parse(await readFile(path.join(work, 'out-classroom/grades-classroom.json'), 'utf8'));
    expect(result).toEqual({
      version: 1,
      status: 'fail',
      max_score: 4,
      tests: [
        { name: 'passes', status: 'pass', score: 1, max_score: 1, message: null, test_code: 'async-lessons run passes', filename: '', line_no: 0 },
        { name: 'fails', status: 'fail', score: 0, max_score: 3, message: expect.stringMatching(/^failed: adds two numbers: .*add\(1, 2\) should be 3/), test_code: 'async-lessons run fails', filename: '', line_no: 0 },
      ],
    });
    const lines = (await readFile(output, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('earlier=1');
    expect(JSON.parse(Buffer.from(lines[1]!.replace(/^result=/, ''), 'base64').toString('utf8'))).toEqual(result);

    const many = await cli(['grade', classDir, '--course', course, '--classroom', '--out', 'out-classroom2'], { cwd: work, env: env() });
    expect(many.code).toBe(2);
    expect(many.stderr).toContain("--classroom grades one submission (a student's repository), and there are 17.");
  }, 120_000);
});

describe('--classroom-setup', () => {
  test('writes the workflow pinned to this version, leaves a different one alone, and checks --only', async () => {
    const repo = path.join(work, 'template-repo');
    await mkdir(repo);
    const { version } = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8'));
    const r = await cli(['grade', '--classroom-setup', repo, '--only', '03_combinators,join'], { cwd: work, env: env() });
    expect(r.code, r.all).toBe(0);
    const yml = await readFile(path.join(repo, '.github/workflows/classroom.yml'), 'utf8');
    expect(yml).toContain(`run: npx --yes async-lessons@${version} grade . --only 03_combinators,join --classroom --out grades`);
    expect(yml).toContain('GRADE_RESULTS: "${{ steps.grade.outputs.result }}"');
    expect((await cli(['grade', '--classroom-setup', repo, '--only', '03_combinators,join'], { cwd: work, env: env() })).stdout).toContain('is already this version');
    const other = await cli(['grade', '--classroom-setup', repo], { cwd: work, env: env() });
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('exists and is not the workflow this version writes; it was left alone');
    expect(await readFile(path.join(repo, '.github/workflows/classroom.yml'), 'utf8')).toBe(yml);
    const typo = await cli(['grade', '--classroom-setup', path.join(work, 'other-repo'), '--only', 'joinn'], { cwd: work, env: env() });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--only: no topic or exercise named "joinn".');
    expect((await cli(['grade'], { cwd: work, env: env() })).code).toBe(2);
  }, 60_000);
});
