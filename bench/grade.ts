// `grade` of generated classes against plain vitest, interleaved in the same run (medians), at
// several class sizes to show that time and memory stay linear in the number of submissions:
// - `async-lessons grade <class> --jobs 2`: N workspaces, each every reference solution of the course
//   (copies, pristine overlay, one confined host per submission, runtime and type checks, every output);
// - one cold `vitest run --no-isolate` over the same check files against the same solutions, N copies
//   of the course's exercises in one folder (no confinement, no type check, no outputs: the floor).
// Peak memory is of the command and every process under it, summed and sampled: RSS (shared pages
// counted in each process) and PSS (shared pages split between their users).
// BENCH_GRADE_SIZES (default 20,30; e.g. 20,30,60), BENCH_GRADE_TRIALS (default 2), BENCH_GRADE_JOBS (2).
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCourse } from '../src/node/course-loader.js';
import { initWorkspace } from '../src/node/workspace.js';
import { measureCommand } from './proc-tree.js';
import { summary, table } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'dist/cli.js');
const SIZES = (process.env.BENCH_GRADE_SIZES ?? process.env.BENCH_GRADE_STUDENTS ?? '20,30').split(',').map(Number);
const TRIALS = Number(process.env.BENCH_GRADE_TRIALS ?? 2);
const JOBS = Number(process.env.BENCH_GRADE_JOBS ?? 2);

const loaded = await loadCourse(root);
const exercises = loaded.course.exercises;
const scratch = await mkdtemp(path.join(os.tmpdir(), 'al-bench-grade-'));
const template = await initWorkspace(path.join(scratch, 'template'), loaded);
for (const e of exercises) for (const f of e.learnerFiles) await cp(path.join(root, 'solutions', f), path.join(template.exercisesDir, f));
await mkdir(path.join(scratch, 'node_modules'));
await symlink(path.join(root, 'node_modules/vitest'), path.join(scratch, 'node_modules/vitest'), 'dir');
await symlink(root, path.join(scratch, 'node_modules/async-lessons'), 'dir');
const vitestBin = path.join(root, 'node_modules/vitest/vitest.mjs');

type Sample = { ms: number; peakRssMb: number; peakPssMb: number };
const results: Array<{ n: number; grade: Sample[]; vitest: Sample[]; points: string }> = [];
for (const n of SIZES) {
  // The class: one workspace per student, every exercise solved; the same checks for plain vitest,
  // n copies of the course's exercises (not a workspace's: it has the library's declarations only).
  const classDir = path.join(scratch, `class-${n}`);
  const plain = path.join(scratch, `plain-${n}`);
  for (let i = 0; i < n; i++) {
    await cp(template.root, path.join(classDir, `student-${String(i).padStart(2, '0')}`), { recursive: true });
    const dir = path.join(plain, `copy-${i}`, 'exercises');
    await cp(path.join(root, 'exercises'), dir, { recursive: true });
    for (const e of exercises) for (const f of e.learnerFiles) await cp(path.join(root, 'solutions', f), path.join(dir, f));
  }
  const row = { n, grade: [] as Sample[], vitest: [] as Sample[], points: '' };
  for (let i = 0; i < TRIALS; i++) {
    row.vitest.push(await measureCommand(process.execPath, [vitestBin, 'run', '--no-isolate', `--maxWorkers=${JOBS}`, '--root', plain], scratch));
    const out = path.join(scratch, `out-${n}-${i}`);
    row.grade.push(await measureCommand(process.execPath, [cli, 'grade', classDir, '--jobs', String(JOBS), '--out', out], scratch));
    // Every student should get every point: a grade that fails would make the time meaningless.
    const doc = JSON.parse(await readFile(path.join(out, 'grades.json'), 'utf8')) as { students: Array<{ points: number; max: number }> };
    row.points = `${doc.students.filter((s) => s.points === s.max).length}/${doc.students.length}`;
  }
  results.push(row);
  await rm(classDir, { recursive: true, force: true });
  await rm(plain, { recursive: true, force: true });
}
await rm(scratch, { recursive: true, force: true });

const med = (xs: Sample[], k: keyof Sample) => summary(xs.map((x) => x[k])).median;
const first = results[0]!;
console.log(`grade benchmark — ${os.cpus().length} cores, Node ${process.version}; ${TRIALS} interleaved trials per size; submissions of all ${exercises.length} exercises (solutions), --jobs ${JOBS}`);
console.log(
  table(
    results.flatMap((r) => {
      const ratio = med(r.grade, 'ms') / med(r.vitest, 'ms');
      const target = r.n === 30 || results.length === 1 ? (ratio <= 1.5 ? 'met (≤ 1.5)' : 'NOT met (≤ 1.5)') : '';
      const scale = med(r.grade, 'ms') / med(first.grade, 'ms');
      const linear = r === first ? '' : `${scale.toFixed(2)}× the time of ${first.n} for ${(r.n / first.n).toFixed(2)}× the submissions${r.n === 60 && first.n === 30 ? (scale <= 2.2 ? ' (target ≤ 2.2: met)' : ' (target ≤ 2.2: NOT met)') : ''}`;
      return [
        { measure: `cold vitest run --no-isolate (${r.n} copies)`, 'median ms': med(r.vitest, 'ms'), 'peak RSS MB': med(r.vitest, 'peakRssMb'), 'peak PSS MB': med(r.vitest, 'peakPssMb'), note: '' },
        { measure: `async-lessons grade (${r.n} submissions, ${r.points} full marks)`, 'median ms': med(r.grade, 'ms'), 'peak RSS MB': med(r.grade, 'peakRssMb'), 'peak PSS MB': med(r.grade, 'peakPssMb'), note: med(r.grade, 'peakPssMb') <= 1536 ? 'memory (PSS) target ≤ 1.5 GB: met' : 'memory (PSS) target ≤ 1.5 GB: NOT met' },
        { measure: `  per submission (${r.n})`, 'median ms': Math.round(med(r.grade, 'ms') / r.n), 'peak RSS MB': '', 'peak PSS MB': '', note: linear },
        { measure: `  ratio grade / cold vitest (${r.n})`, 'median ms': ratio.toFixed(2), 'peak RSS MB': '', 'peak PSS MB': '', note: target },
      ];
    }),
  ),
);
