// The check engine: warm re-run latency vs a cold vitest run of the same file, warm type re-check
// vs a cold tsc, and peak memory of the runner with its host and workers.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CheckTarget } from '../src/node/engine/check-runner.js';
import { ExecCheckRunner } from './cold/exec-runner.js';
import { loadCourse } from '../src/node/course-loader.js';
import { EngineRunner } from '../src/node/engine/client/engine-runner.js';
import { groupPids, memoryMb, summary, table } from './stats.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EDITS = Number(process.env.BENCH_EDITS ?? 30);
const COLD = Number(process.env.BENCH_COLD ?? 10);
// A learner saves at most every second or so; the engine uses the pause to boot its spare worker
// (~300 ms here). Edits back to back would measure a cold worker every time.
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 500);
const pause = () => new Promise((r) => setTimeout(r, GAP_MS));

const scratch = await mkdtemp(path.join(os.tmpdir(), 'al-bench-'));
const course = path.join(scratch, 'course');
await cp(path.join(root, 'tests/fixtures/mini-course'), course, { recursive: true });
const loaded = await loadCourse(course);
const learner = path.join(scratch, 'learner');
await cp(path.join(course, 'exercises'), learner, { recursive: true });
const target = (name: string): CheckTarget => ({
  courseRoot: course,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir: learner, displayBase: scratch },
});

const file = (rel: string) => path.join(learner, rel);
const passing = await readFile(path.join(course, 'solutions/01_basics/fails.ts'), 'utf8');
const failing = await readFile(path.join(course, 'exercises/01_basics/fails.ts'), 'utf8');
const typesOk = await readFile(path.join(course, 'solutions/01_basics/type_error.ts'), 'utf8');
const typesBad = await readFile(path.join(course, 'exercises/01_basics/type_error.ts'), 'utf8');

// Memory: this process plus every process in the host's group, sampled during the warm loop, as
// PSS (shared pages counted once: see stats.ts).
function groupMb(pgid: number | undefined): number {
  return memoryMb(process.pid).pss + (pgid === undefined ? [] : groupPids(pgid)).reduce((a, p) => a + memoryMb(p.pid).pss, 0);
}

const engine = new EngineRunner({ maxWorkers: 2 });
const t0 = Date.now();
engine.start();
const pgid = await engine.hostPid();
const ready = Date.now() - t0;
const cold = new ExecCheckRunner();

// Warm up each path once, outside the measurement.
await writeFile(file('01_basics/fails.ts'), passing);
await engine.check(target('fails'));

const warm: number[] = [];
// The host's own part of each warm run (vitest in the host and the worker), to see where time goes.
const hostSide: number[] = [];
const warmTyped: number[] = [];
const coldTimes: number[] = [];
let stale = 0;
let noSpare = 0;
let peak = 0;
for (let i = 0; i < EDITS; i++) {
  const pass = i % 2 === 0;
  await pause();
  await writeFile(file('01_basics/fails.ts'), pass ? failing : passing);
  let s = performance.now();
  let runtimeAt = 0;
  const v = await engine.check(target('fails'), { onRuntime: () => (runtimeAt = performance.now()) });
  warm.push(runtimeAt - s);
  hostSide.push(engine.lastRun?.hostMs ?? NaN);
  warmTyped.push(performance.now() - s);
  if ((v.status === 'passed') === pass) stale += 1;
  if (!engine.lastRun?.spareUsed) noSpare += 1;
  peak = Math.max(peak, groupMb(pgid));
  if (i < COLD) {
    s = performance.now();
    const c = await cold.check(target('fails'));
    coldTimes.push(performance.now() - s);
    if ((c.status === 'passed') === pass) stale += 1;
  }
}

// Types: the warm language service in the host vs a cold tsc of the same two files.
await engine.check(target('type_error'));
const warmTypes: number[] = [];
for (let i = 0; i < EDITS; i++) {
  const ok = i % 2 === 0;
  await pause();
  await writeFile(file('01_basics/type_error.ts'), ok ? typesOk : typesBad);
  const s = performance.now();
  const v = await engine.check(target('type_error'));
  warmTypes.push(performance.now() - s);
  if ((v.status === 'passed') !== ok) stale += 1;
}
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const coldTypes: number[] = [];
for (let i = 0; i < Math.min(COLD, 6); i++) {
  const s = performance.now();
  await run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--types', 'node', '--skipLibCheck', file('01_basics/type_error.ts'), file('01_basics/type_error.types.ts')]).catch(() => {});
  coldTypes.push(performance.now() - s);
}

await engine.close();
await cold.close();
await rm(scratch, { recursive: true, force: true });

const w = summary(warm);
const wt2 = summary(warmTyped);
const c = summary(coldTimes);
const wt = summary(warmTypes);
const ct = summary(coldTypes);
console.log(`check engine benchmark — ${os.cpus().length} cores, Node ${process.version}; host ready in ${ready} ms; ${EDITS} alternating pass/fail edits ${GAP_MS} ms apart; ${stale} stale verdicts; spare worker missed ${noSpare} times`);
console.log(
  table([
    { measure: 'runtime re-run, warm engine', 'median ms': w.median, 'p95 ms': w.p95, n: w.n },
    { measure: '  of which inside the host', 'median ms': summary(hostSide).median, 'p95 ms': summary(hostSide).p95, n: hostSide.length },
    { measure: '  + type check of the file', 'median ms': wt2.median, 'p95 ms': wt2.p95, n: wt2.n },
    { measure: 'runtime run, cold vitest', 'median ms': c.median, 'p95 ms': c.p95, n: c.n },
    { measure: 'ratio warm/cold (medians)', 'median ms': (w.median / c.median).toFixed(3), 'p95 ms': '', n: '' },
    { measure: 'type re-check, warm engine', 'median ms': wt.median, 'p95 ms': wt.p95, n: wt.n },
    { measure: 'type check, cold tsc', 'median ms': ct.median, 'p95 ms': ct.p95, n: ct.n },
    { measure: 'ratio warm/cold (medians)', 'median ms': (wt.median / ct.median).toFixed(3), 'p95 ms': '', n: '' },
    { measure: 'peak memory, all processes, PSS (MB)', 'median ms': Math.round(peak), 'p95 ms': '', n: '' },
  ]),
);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(
  table([
    { target: 'warm re-run median ≤ 60 ms', measured: `${w.median.toFixed(0)} ms`, '': met(w.median <= 60) },
    { target: 'warm/cold ratio ≤ 0.1', measured: (w.median / c.median).toFixed(3), '': met(w.median / c.median <= 0.1) },
    { target: 'warm type re-check median ≤ 150 ms', measured: `${wt.median.toFixed(0)} ms`, '': met(wt.median <= 150) },
    { target: 'peak memory ≤ 300 MB', measured: `${Math.round(peak)} MB`, '': met(peak <= 300) },
  ]),
);
if (stale > 0) process.exitCode = 1;
