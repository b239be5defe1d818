// Watch mode: file write → verdict in the session state (what the screen draws), for a runtime
// exercise, over alternating pass/fail saves; beside it, the engine alone on the same edits.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProgressStore } from '../src/node/progress-store.js';
import { loadCourse } from '../src/node/course-loader.js';
import { readLock } from '../src/node/course-lock.js';
import { EngineRunner } from '../src/node/engine/client/engine-runner.js';
import { WatchSession } from '../src/node/watch-session.js';
import { initWorkspace } from '../src/node/workspace.js';
import { summary, table } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EDITS = Number(process.env.BENCH_EDITS ?? 30);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 500);
const scratch = await mkdtemp(path.join(os.tmpdir(), 'al-bench-watch-'));
const course = path.join(scratch, 'course');
await cp(path.join(root, 'tests/fixtures/mini-course'), course, { recursive: true });
const loaded = await loadCourse(course);
const ws = await initWorkspace(path.join(scratch, 'ws'), loaded);
const store = new ProgressStore(path.join(ws.stateDir, 'progress.json'));
const progress = { ...(await store.load()).progress, current: 'fails' };
const learner = { ws, loaded, lock: await readLock(course), store, progress, order: loaded.course.exercises.map((e) => e.name) };
const engine = new EngineRunner({ maxWorkers: 2 });
const session = new WatchSession(learner, engine);
const file = path.join(ws.exercisesDir, '01_basics/fails.ts');
const passing = await readFile(path.join(course, 'solutions/01_basics/fails.ts'), 'utf8');
const failing = await readFile(path.join(course, 'exercises/01_basics/fails.ts'), 'utf8');

const settled = (want: 'passed' | 'failed') =>
  new Promise<void>((resolve) => {
    const check = () => {
      const s = session.state;
      if (!s.checking && s.verdict?.status === want) {
        off();
        resolve();
      }
    };
    const off = session.subscribe(check);
    check();
  });

session.start();
await settled('failed');
const times: number[] = [];
for (let i = 0; i < EDITS; i++) {
  await new Promise((r) => setTimeout(r, GAP_MS));
  const pass = i % 2 === 0;
  const done = new Promise<void>((resolve) => {
    let sawCheck = false;
    const off = session.subscribe(() => {
      const s = session.state;
      if (s.checking) sawCheck = true;
      if (sawCheck && !s.checking && s.verdict?.status === (pass ? 'passed' : 'failed')) {
        off();
        resolve();
      }
    });
  });
  const started = performance.now();
  await writeFile(file, pass ? passing : failing);
  await done;
  times.push(performance.now() - started);
}
await session.close();
await rm(scratch, { recursive: true, force: true });
const w = summary(times);
console.log(`watch mode benchmark — save → verdict in the session state; ${EDITS} alternating edits ${GAP_MS} ms apart`);
console.log(table([{ measure: 'save → verdict (watcher ~50 ms debounce + engine + type check)', 'median ms': w.median, 'p95 ms': w.p95, n: w.n }]));
