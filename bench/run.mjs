// `npm run bench`: bundles bench/*.ts with rolldown (the runner's sources are TypeScript) and runs
// them in this Node process. Benchmarks compare ratios measured in the same run and report
// medians: this machine is shared and noisy, so absolute numbers are only indicative.
import { build } from 'rolldown';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist', 'bench');
await mkdir(out, { recursive: true });
const which = process.argv[2] ?? 'engine';
const file = path.join(out, `${which}.mjs`);
await build({
  input: path.join(root, 'bench', `${which}.ts`),
  platform: 'node',
  external: [/^vitest(\/|$)/, /^vite(\/|$)/, /^typescript$/, /^node:/, /^execa$/],
  logLevel: 'warn',
  output: { file, format: 'esm', codeSplitting: false },
});
// A process of its own: the bundler must not sit in the memory the benchmark measures.
const { spawnSync } = await import('node:child_process');
const result = spawnSync(process.execPath, [file], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
