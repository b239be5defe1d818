// What the harness's trace recording (the timeline) costs: warm re-runs of harness-heavy
// exercises' reference solutions with tracing on and off (ASYNC_LESSONS_NO_TRACE=1 in a second
// engine's host), interleaved in the same run; medians and their ratio (target ≤ 1.2). The three
// record through each helper: TestExecutor and counted, pollNextWith, and spyWaker/pollWith.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckTarget } from '../src/node/engine/check-runner.js';
import { loadCourse } from '../src/node/course-loader.js';
import { EngineRunner } from '../src/node/engine/client/engine-runner.js';
import { summary, table } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = Number(process.env.BENCH_TRACE ?? 15);
const NAMES = (process.env.BENCH_TRACE_EXERCISES ?? 'run_queue_executor,stream_poll_next,timer_future').split(',');
const loaded = await loadCourse(root);
const targets: CheckTarget[] = NAMES.map((name) => ({
  courseRoot: root,
  exercise: loaded.course.exercises.find((e) => e.name === name)!,
  learner: { dir: path.join(root, 'solutions'), displayBase: root },
}));

// The host takes its environment when it starts: the variable is set only for the second one.
const on = new EngineRunner({ maxWorkers: 1 });
on.start();
await on.hostPid();
process.env.ASYNC_LESSONS_NO_TRACE = '1';
const off = new EngineRunner({ maxWorkers: 1 });
off.start();
await off.hostPid();
delete process.env.ASYNC_LESSONS_NO_TRACE;

const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
const once = async (engine: EngineRunner, key: 'on' | 'off', record: boolean) => {
  for (const t of targets) {
    const s = performance.now();
    const v = await engine.check(t, { force: true });
    if (v.status !== 'passed') throw new Error(`${t.exercise.name} (${key}): ${v.status}`);
    if (record) times[key].push(performance.now() - s);
  }
};
await once(on, 'on', false);
await once(off, 'off', false);
for (let i = 0; i < N; i++) {
  await once(on, 'on', true);
  await once(off, 'off', true);
}
await Promise.all([on.close(), off.close()]);

const m = (k: 'on' | 'off') => summary(times[k]).median;
const ratio = m('on') / m('off');
console.log(`trace benchmark — ${os.cpus().length} cores, Node ${process.version}; ${N} interleaved rounds of ${NAMES.join(', ')} (warm re-runs)`);
console.log(
  table([
    { measure: 'warm re-run, tracing on', 'median ms': m('on'), 'p95 ms': summary(times.on).p95, n: times.on.length },
    { measure: 'warm re-run, tracing off', 'median ms': m('off'), 'p95 ms': summary(times.off).p95, n: times.off.length },
    { measure: 'ratio on / off', 'median ms': ratio.toFixed(2), 'p95 ms': 'target ≤ 1.2', n: ratio <= 1.2 ? 'met' : 'NOT met' },
  ]),
);
