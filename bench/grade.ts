// `grade` of generated classes against plain vitest, interleaved in the same run (medians), at
// several class sizes to show that time and memory stay linear in the number of submissions:
// - `async-lessons grade <class> --jobs 2`: N workspaces, each a seeded mix per exercise of the
//   reference solution (60 %), the starting file (20 %) and one of the course's wrong answers (20 %)
//   (copies, pristine overlay, one confined host per submission, runtime and type checks, every output);
// - one cold `vitest run --no-isolate` over the same check files against the same learner files, N
//   copies of the course's exercises in one folder (no confinement, no type check, no outputs: the floor).
// Wrong answers meant to time out are left out, and a hand-in that grade finds timing out is left
// out of plain vitest's copy: one that blocks its worker for ever would hang plain vitest, which
// cannot stop a synchronous loop.
// Every grade is then compared with what the mix deserves (a solution passes, a starting file or a
// wrong answer does not): a time for wrong grades would mean nothing.
// Peak memory is of the command and every process under it, summed and sampled: RSS (shared pages
// counted in each process) and PSS (shared pages split between their users).
// BENCH_GRADE_SIZES (default 20,30; e.g. 20,30,60), BENCH_GRADE_TRIALS (default 2), BENCH_GRADE_JOBS (2).
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Exercise } from '../src/core/course-schema.js';
import { loadCourse } from '../src/node/course-loader.js';
import { loadWrongAnswers, writeWrongAnswer, type WrongAnswer } from '../src/node/wrong-answers.js';
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
const wrongByExercise = new Map<string, WrongAnswer[]>();
for (const w of await loadWrongAnswers(loaded, [])) {
  if (w.rejects === 'timeout') continue;
  wrongByExercise.set(w.exercise.name, [...(wrongByExercise.get(w.exercise.name) ?? []), w]);
}
const scratch = await mkdtemp(path.join(os.tmpdir(), 'al-bench-grade-'));
const template = await initWorkspace(path.join(scratch, 'template'), loaded);
await mkdir(path.join(scratch, 'node_modules'));
await symlink(path.join(root, 'node_modules/vitest'), path.join(scratch, 'node_modules/vitest'), 'dir');
await symlink(root, path.join(scratch, 'node_modules/async-lessons'), 'dir');
const vitestBin = path.join(root, 'node_modules/vitest/vitest.mjs');

/** What a student handed in for one exercise. */
type Pick = { kind: 'solution' } | { kind: 'starting' } | { kind: 'wrong'; answer: WrongAnswer };

/** mulberry32: the same class on every run and machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(rng: () => number, e: Exercise): Pick {
  const r = rng();
  const wrong = wrongByExercise.get(e.name) ?? [];
  if (r < 0.6) return { kind: 'solution' };
  if (r < 0.8 || wrong.length === 0) return { kind: 'starting' };
  return { kind: 'wrong', answer: wrong[Math.floor(rng() * wrong.length)]! };
}

/** Lays `p` out in an exercises/ folder that holds the starting files. */
async function handIn(p: Pick, e: Exercise, exercisesDir: string): Promise<void> {
  if (p.kind === 'solution') for (const f of e.learnerFiles) await cp(path.join(root, 'solutions', f), path.join(exercisesDir, f));
  else if (p.kind === 'wrong') await writeWrongAnswer(p.answer, root, exercisesDir);
}

type Sample = { ms: number; peakRssMb: number; peakPssMb: number };
const results: Array<{ n: number; grade: Sample[]; vitest: Sample[]; points: string; mix: string; hangs: number }> = [];
for (const n of SIZES) {
  // The class: one workspace per student, each exercise a seeded pick; the same checks for plain
  // vitest, n copies of the course's exercises (not a workspace's: it has the library's declarations only).
  const classDir = path.join(scratch, `class-${n}`);
  const plain = path.join(scratch, `plain-${n}`);
  const picks = new Map<string, Map<string, Pick>>();
  const mix = { solution: 0, starting: 0, wrong: 0 };
  for (let i = 0; i < n; i++) {
    const id = `student-${String(i).padStart(2, '0')}`;
    const rng = seeded(1000 + i);
    const ws = path.join(classDir, id);
    await cp(template.root, ws, { recursive: true });
    const mine = new Map<string, Pick>();
    for (const e of exercises) {
      const p = pick(rng, e);
      mix[p.kind] += 1;
      mine.set(e.name, p);
      await handIn(p, e, path.join(ws, 'exercises'));
    }
    picks.set(id, mine);
  }
  // The floor's copies, made once the first grade has said which hand-ins hang: plain vitest cannot
  // stop a worker stuck in a synchronous loop (some starting files loop for ever too), so it does not
  // run those exercises of that student at all, where grade pays a timeout: this leans against grade.
  const makePlain = async (hangs: Set<string>) => {
    for (const [i, id] of [...picks.keys()].entries()) {
      const dir = path.join(plain, `copy-${i}`, 'exercises');
      await cp(path.join(root, 'exercises'), dir, { recursive: true });
      for (const e of exercises) {
        if (hangs.has(`${id} ${e.name}`)) await rm(path.join(dir, e.testFile), { force: true });
        else await handIn(picks.get(id)!.get(e.name)!, e, dir);
      }
    }
  };
  const row = { n, grade: [] as Sample[], vitest: [] as Sample[], points: '', mix: `${mix.solution} solutions, ${mix.starting} starting files, ${mix.wrong} wrong answers`, hangs: 0 };
  const floor = () => measureCommand(process.execPath, [vitestBin, 'run', '--no-isolate', `--maxWorkers=${JOBS}`, '--root', plain], scratch, { okCodes: [0, 1], deadlineMs: 20 * 60_000 });
  for (let i = 0; i < TRIALS; i++) {
    // Interleaved: grade, floor, floor, grade, grade, floor… (grade first: the floor needs its timeouts).
    if (i % 2 === 1) row.vitest.push(await floor());
    const out = path.join(scratch, `out-${n}-${i}`);
    row.grade.push(await measureCommand(process.execPath, [cli, 'grade', classDir, '--jobs', String(JOBS), '--out', out], scratch, { deadlineMs: 40 * 60_000 }));
    const doc = JSON.parse(await readFile(path.join(out, 'grades.json'), 'utf8')) as { students: Array<{ student: string; exercises: Array<{ exercise: string; status: string }> }> };
    const wrong: string[] = [];
    let verdicts = 0;
    for (const s of doc.students) {
      for (const e of s.exercises) {
        verdicts += 1;
        // A solution deserves a pass; a starting file or a wrong answer does not.
        const should = picks.get(s.student)?.get(e.exercise)?.kind === 'solution';
        if (should !== (e.status === 'passed')) wrong.push(`${s.student} ${e.exercise}: ${e.status}, deserved ${should ? 'passed' : 'not passed'}`);
      }
    }
    row.points = `${verdicts - wrong.length}/${verdicts} grades as deserved`;
    if (wrong.length > 0) console.log(`grade ${n}, trial ${i + 1}: ${wrong.length} grades not as deserved:\n  ${wrong.slice(0, 10).join('\n  ')}`);
    if (i === 0) {
      const hangs = new Set(doc.students.flatMap((s) => s.exercises.filter((e) => e.status === 'timeout').map((e) => `${s.student} ${e.exercise}`)));
      row.hangs = hangs.size;
      await makePlain(hangs);
    }
    if (i % 2 === 0) row.vitest.push(await floor());
  }
  results.push(row);
  await rm(classDir, { recursive: true, force: true });
  await rm(plain, { recursive: true, force: true });
}
await rm(scratch, { recursive: true, force: true });

const med = (xs: Sample[], k: keyof Sample) => summary(xs.map((x) => x[k])).median;
const first = results[0]!;
console.log(`grade benchmark — ${os.cpus().length} cores, Node ${process.version}; ${TRIALS} interleaved trials per size; submissions of all ${exercises.length} exercises, each a seeded mix of solutions, starting files and wrong answers; --jobs ${JOBS}`);
console.log(
  table(
    results.flatMap((r) => {
      const ratio = med(r.grade, 'ms') / med(r.vitest, 'ms');
      const target = r.n === 30 || results.length === 1 ? (ratio <= 1.5 ? 'met (≤ 1.5)' : 'NOT met (≤ 1.5)') : '';
      const scale = med(r.grade, 'ms') / med(first.grade, 'ms');
      const linear = r === first ? '' : `${scale.toFixed(2)}× the time of ${first.n} for ${(r.n / first.n).toFixed(2)}× the submissions${r.n === 60 && first.n === 30 ? (scale <= 2.2 ? ' (target ≤ 2.2: met)' : ' (target ≤ 2.2: NOT met)') : ''}`;
      return [
        { measure: `cold vitest run --no-isolate (${r.n} copies, less ${r.hangs} hand-ins that time out)`, 'median ms': med(r.vitest, 'ms'), 'peak RSS MB': med(r.vitest, 'peakRssMb'), 'peak PSS MB': med(r.vitest, 'peakPssMb'), note: '' },
        { measure: `async-lessons grade (${r.n} submissions: ${r.mix}; ${r.points})`, 'median ms': med(r.grade, 'ms'), 'peak RSS MB': med(r.grade, 'peakRssMb'), 'peak PSS MB': med(r.grade, 'peakPssMb'), note: med(r.grade, 'peakPssMb') <= 1536 ? 'memory (PSS) target ≤ 1.5 GB: met' : 'memory (PSS) target ≤ 1.5 GB: NOT met' },
        { measure: `  per submission (${r.n})`, 'median ms': Math.round(med(r.grade, 'ms') / r.n), 'peak RSS MB': '', 'peak PSS MB': '', note: linear },
        { measure: `  ratio grade / cold vitest (${r.n})`, 'median ms': ratio.toFixed(2), 'peak RSS MB': '', 'peak PSS MB': '', note: target },
      ];
    }),
  ),
);
