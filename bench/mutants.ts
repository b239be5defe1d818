// The whole mutation run, `dev check --mutants` over the shipped course, once: how long it takes and
// where the time goes. One trial (it takes minutes); the machine is shared, so it is indicative.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const started = performance.now();
const run = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'dev', 'check', '--no-lock', '--mutants', '--json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
  env: { ...process.env, NO_COLOR: '1' },
});
const wholeMs = performance.now() - started;
let out: { mutation?: { mutants: number; ms: number; exercises: Array<{ killed: number; equivalent: number; verdicts: Record<string, number> }> } };
try {
  out = JSON.parse(run.stdout);
} catch {
  console.error(`dev check --mutants gave no report (exit ${run.status}):\n${run.stderr}`);
  process.exit(1);
}
const m = out.mutation!;
const count = (status: string) => m.exercises.reduce((n, e) => n + (e.verdicts[status] ?? 0), 0);
const ok = m.exercises.reduce((n, e) => n + e.killed + e.equivalent, 0);
console.log(`mutation run benchmark — ${os.cpus().length} cores, Node ${process.version}; one trial over the shipped course`);
console.log(
  table([
    { measure: 'dev check --mutants, whole command (s)', value: wholeMs / 1000 },
    { measure: '  of which the mutants (s)', value: m.ms / 1000 },
    { measure: 'mutants', value: m.mutants },
    { measure: 'mean ms per mutant', value: m.ms / Math.max(1, m.mutants) },
    { measure: 'mutants that timed out (hung)', value: count('timeout') },
    { measure: 'killed or marked equivalent (%)', value: (100 * ok) / Math.max(1, m.mutants) },
  ]),
);
