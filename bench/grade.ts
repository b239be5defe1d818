// `grade` of a generated class against plain vitest, interleaved in the same run (medians):
// - `async-lessons grade <class> --jobs 2`: N workspaces, each every reference solution of the course
//   (copies, pristine overlay, one confined host per submission, runtime and type checks, every output);
// - one cold `vitest run --no-isolate` over the same check files against the same solutions, N copies
//   of the course's exercises in one folder (no confinement, no type check, no outputs: the floor).
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCourse } from '../src/node/course-loader.js';
import { initWorkspace } from '../src/node/workspace.js';
import { summary, table, timeCommand } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'dist/cli.js');
const STUDENTS = Number(process.env.BENCH_GRADE_STUDENTS ?? 20);
const TRIALS = Number(process.env.BENCH_GRADE_TRIALS ?? 3);
const JOBS = Number(process.env.BENCH_GRADE_JOBS ?? 2);

const loaded = await loadCourse(root);
const exercises = loaded.course.exercises;
const scratch = await mkdtemp(path.join(os.tmpdir(), 'al-bench-grade-'));

// The class: one workspace per student, every exercise solved.
const template = await initWorkspace(path.join(scratch, 'template'), loaded);
for (const e of exercises) for (const f of e.learnerFiles) await cp(path.join(root, 'solutions', f), path.join(template.exercisesDir, f));
const classDir = path.join(scratch, 'class');
for (let i = 0; i < STUDENTS; i++) await cp(template.root, path.join(classDir, `student-${String(i).padStart(2, '0')}`), { recursive: true });

// The same checks for plain vitest: N copies of the course's exercises with the solutions in place.
const plain = path.join(scratch, 'plain');
// (The course's own exercises/ folder: a workspace has the library's declarations, not its code.)
for (let i = 0; i < STUDENTS; i++) {
  const dir = path.join(plain, `copy-${i}`, 'exercises');
  await cp(path.join(root, 'exercises'), dir, { recursive: true });
  for (const e of exercises) for (const f of e.learnerFiles) await cp(path.join(root, 'solutions', f), path.join(dir, f));
}
await mkdir(path.join(plain, 'node_modules'));
await symlink(path.join(root, 'node_modules/vitest'), path.join(plain, 'node_modules/vitest'), 'dir');
await symlink(root, path.join(plain, 'node_modules/async-lessons'), 'dir');
const vitestBin = path.join(root, 'node_modules/vitest/vitest.mjs');

const rows: Record<string, number[]> = { grade: [], vitest: [] };
let points = '';
for (let i = 0; i < TRIALS; i++) {
  rows.vitest!.push(await timeCommand(process.execPath, [vitestBin, 'run', '--no-isolate', `--maxWorkers=${JOBS}`], plain));
  const out = path.join(scratch, `out-${i}`);
  rows.grade!.push(await timeCommand(process.execPath, [cli, 'grade', classDir, '--jobs', String(JOBS), '--out', out], scratch));
  // Every student should get every point: a grade that fails would make the time meaningless.
  const doc = JSON.parse(await readFile(path.join(out, 'grades.json'), 'utf8')) as { students: Array<{ points: number; max: number }> };
  points = `${doc.students.filter((s) => s.points === s.max).length}/${doc.students.length} full marks`;
}
await rm(scratch, { recursive: true, force: true });

const m = (k: string) => summary(rows[k]!).median;
const row = (measure: string, k: string) => ({ measure, 'median ms': m(k), 'p95 ms': summary(rows[k]!).p95, n: rows[k]!.length });
const ratio = m('grade') / m('vitest');
console.log(`grade benchmark — ${os.cpus().length} cores, Node ${process.version}; ${TRIALS} interleaved trials; ${STUDENTS} submissions of all ${exercises.length} exercises (solutions), --jobs ${JOBS}; ${points}`);
console.log(
  table([
    row(`cold vitest run --no-isolate (${STUDENTS} copies of the checks)`, 'vitest'),
    row(`async-lessons grade (${STUDENTS} submissions)`, 'grade'),
    { measure: 'per submission (grade)', 'median ms': Math.round(m('grade') / STUDENTS), 'p95 ms': '', n: '' },
    { measure: 'ratio grade / cold vitest', 'median ms': ratio.toFixed(2), 'p95 ms': 'target ≤ 1.5', n: ratio <= 1.5 ? 'met' : 'NOT met' },
  ]),
);
