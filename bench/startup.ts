// Time to the first frame of watch mode, in a pseudo-terminal (script(1)) at 80×24, against
// `node -e 0` measured in the same run. The check host starts in the background and is not waited for.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCourse } from '../src/node/course-loader.js';
import { initWorkspace } from '../src/node/workspace.js';
import { summary, table } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = Number(process.env.BENCH_STARTS ?? 10);
const scratch = await mkdtemp(path.join(os.tmpdir(), 'al-bench-start-'));
await cp(path.join(root, 'tests/fixtures/mini-course'), path.join(scratch, 'course'), { recursive: true });
const ws = await initWorkspace(path.join(scratch, 'ws'), await loadCourse(path.join(scratch, 'course')));

/** ms from spawn until the pty shows `marker` (then the process is killed). */
function timeTo(command: string, marker: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 80 rows 24; ${command}`, '/dev/null'], { cwd: ws.root, env: { ...process.env, NO_COLOR: '1' }, detached: true });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${marker} in: ${out}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (marker.test(out)) {
        clearTimeout(timer);
        const ms = performance.now() - started;
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
        resolve(ms);
      }
    });
  });
}

const node: number[] = [];
const tui: number[] = [];
for (let i = 0; i < N; i++) {
  node.push(await timeTo(`${process.execPath} -e "process.stdout.write('ready')"`, /ready/));
  tui.push(await timeTo(`${process.execPath} ${path.join(root, 'dist/cli.js')}`, /passes · 01_basics/));
  await new Promise((r) => setTimeout(r, 300));
}
await rm(scratch, { recursive: true, force: true });
const n = summary(node);
const t = summary(tui);
console.log(`start-up benchmark — first frame in a pty at 80×24, ${N} starts each, interleaved`);
console.log(
  table([
    { measure: 'node prints one word', 'median ms': n.median, 'p95 ms': n.p95, n: n.n },
    { measure: 'watch mode, first frame', 'median ms': t.median, 'p95 ms': t.p95, n: t.n },
    { measure: 'ratio first frame / node (target ≤ 1.8)', 'median ms': (t.median / n.median).toFixed(2), 'p95 ms': '', n: t.median / n.median <= 1.8 ? 'met' : 'NOT met' },
  ]),
);
