// One-shot commands against plain Node and plain vitest, interleaved in the same run (medians):
// - `run <exercise>` in a workspace (the real CLI: runtime and type check, exit) vs a cold
//   `vitest run` of the same check file against the same solution — twice: with nothing of ours
//   running (the first `run` of a session: it starts the host, and the engine daemon), and as a
//   later call, which finds the daemon's engine warm (the daemon leaves after an idle spell);
// - `--version` and `--help` vs `node -e 0`;
// - `verify --solutions`-style: every reference solution of the course through one batch.
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCourse } from '../src/node/course-loader.js';
import { initWorkspace } from '../src/node/workspace.js';
import { summary, table, timeCommand } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'dist/cli.js');
const N = Number(process.env.BENCH_ONESHOT ?? 7);
const EXERCISE = process.env.BENCH_EXERCISE ?? 'concurrency_pays';

const loaded = await loadCourse(root);
const exercise = loaded.course.exercises.find((e) => e.name === EXERCISE)!;
const scratch = await mkdtemp(path.join(os.tmpdir(), 'al-bench-oneshot-'));
const ws = await initWorkspace(path.join(scratch, 'ws'), loaded);
for (const f of exercise.learnerFiles) await cp(path.join(root, 'solutions', f), path.join(ws.exercisesDir, f));

// The same check file and solution laid out for plain vitest (its own folder, no config).
const plain = path.join(scratch, 'plain');
await cp(path.join(root, 'exercises'), path.join(plain, 'exercises'), { recursive: true });
for (const f of exercise.learnerFiles) await cp(path.join(root, 'solutions', f), path.join(plain, 'exercises', f));
await mkdir(path.join(plain, 'node_modules'));
await symlink(path.join(root, 'node_modules/vitest'), path.join(plain, 'node_modules/vitest'), 'dir');
await symlink(root, path.join(plain, 'node_modules/async-lessons'), 'dir');
const vitestBin = path.join(root, 'node_modules/vitest/vitest.mjs');

const rows: Record<string, number[]> = { node: [], version: [], help: [], run: [], warm: [], vitest: [], verify: [] };
const alone = { ASYNC_LESSONS_DAEMON: '0' };
const daemon = { ASYNC_LESSONS_DAEMON: '1' };
// Unmeasured: starts the daemon the later calls find (it stays while calls keep coming).
await timeCommand(process.execPath, [cli, 'run', EXERCISE], ws.root, [0], daemon);
for (let i = 0; i < N; i++) {
  rows.node!.push(await timeCommand(process.execPath, ['-e', '0'], scratch));
  rows.version!.push(await timeCommand(process.execPath, [cli, '--version'], scratch));
  rows.help!.push(await timeCommand(process.execPath, [cli, '--help'], scratch));
  rows.vitest!.push(await timeCommand(process.execPath, [vitestBin, 'run', `exercises/${exercise.testFile}`], plain));
  rows.run!.push(await timeCommand(process.execPath, [cli, 'run', EXERCISE], ws.root, [0], alone));
  rows.warm!.push(await timeCommand(process.execPath, [cli, 'run', EXERCISE], ws.root, [0], daemon));
  if (i < 3) rows.verify!.push(await timeCommand(process.execPath, [cli, 'verify', '--solutions'], root, [0, 1]));
}
await rm(scratch, { recursive: true, force: true });

const m = (k: string) => summary(rows[k]!).median;
const row = (measure: string, k: string) => ({ measure, 'median ms': m(k), 'p95 ms': summary(rows[k]!).p95, n: rows[k]!.length });
const target = (measure: string, ratio: number, limit: number) => ({ measure, 'median ms': ratio.toFixed(2), 'p95 ms': `target ≤ ${limit}`, n: ratio <= limit ? 'met' : 'NOT met' });
console.log(`one-shot benchmark — ${os.cpus().length} cores, Node ${process.version}; ${N} interleaved trials; exercise ${EXERCISE}; course of ${loaded.course.exercises.length} exercises`);
console.log(
  table([
    row('node -e 0', 'node'),
    row('async-lessons --version', 'version'),
    row('async-lessons --help', 'help'),
    row(`cold vitest run (${EXERCISE})`, 'vitest'),
    row(`run ${EXERCISE}, nothing of ours running`, 'run'),
    row(`run ${EXERCISE}, a later call (warm daemon)`, 'warm'),
    row('async-lessons verify --solutions (whole course)', 'verify'),
    target('ratio --version / node', m('version') / m('node'), 1.5),
    target('ratio --help / node', m('help') / m('node'), 1.5),
    target('ratio run (later call) / cold vitest', m('warm') / m('vitest'), 1.2),
    target('ratio run (nothing running) / cold vitest', m('run') / m('vitest'), 1.2),
    // The course grows; the target is per item (it was 5 s for the first 25).
    {
      measure: `verify of the whole course (${loaded.course.exercises.length} items), s per item`,
      'median ms': (m('verify') / 1000 / loaded.course.exercises.length).toFixed(3),
      'p95 ms': 'target ≤ 0.2 s',
      n: m('verify') / loaded.course.exercises.length <= 200 ? 'met' : 'NOT met',
    },
  ]),
);
