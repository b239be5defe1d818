// Builds dist/: the CLI bundled into one file (RUNNER-NOTES §5: ~0.5 s → ~0.22 s to first frame),
// the vitest reporter the check runner loads, the check harness compiled with declarations, and the
// course library's declarations (dist/course-lib/): what init puts in a workspace instead of its code.
import { rm, writeFile, mkdir, chmod, rename } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { build } from 'rolldown';
import { execFileSync } from 'node:child_process';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Build beside dist/ and swap at the end, so a test run using dist/ never sees it half-built.
const final = path.join(root, 'dist');
const dist = path.join(root, `.dist-build-${process.pid}`);
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

// Ink imports react-devtools-core only when DEV=true; bundled as one file the dynamic import turns
// static and would crash at start-up, so it is replaced by an empty module.
const stub = path.join(dist, '.devtools-stub.js');
await writeFile(stub, 'export default {};\n');

// These stay as real node_modules imports: they are large, lazy, or run in other processes.
const external = [/^vitest(\/|$)/, /^vite(\/|$)/, /^typescript$/, /^chokidar(\/|$)/, /^node:/];

const common = {
  platform: 'node',
  external,
  resolve: { alias: { 'react-devtools-core': stub } },
  transform: { define: { 'process.env.NODE_ENV': '"production"' } },
  logLevel: 'warn',
};

// What only watch mode needs (Ink, React, the screen) or only some commands need is split into
// chunks loaded by their dynamic imports: `run`, `verify` and `grade` do not parse Ink and React.
await build({
  ...common,
  input: { 'cli-main': path.join(root, 'src/cli.ts') },
  output: { dir: dist, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
});
// The bin: answers --version and --help itself, else loads cli-main.js (src/launcher.ts).
await build({
  ...common,
  input: path.join(root, 'src/launcher.ts'),
  output: { file: path.join(dist, 'cli.js'), format: 'esm', codeSplitting: false, banner: '#!/usr/bin/env node' },
});
await chmod(path.join(dist, 'cli.js'), 0o755);
await writeFile(path.join(dist, 'help.txt'), `${(await import(pathToFileURL(path.join(dist, 'cli-main.js')).href)).mainHelp()}\n`);

await build({
  ...common,
  input: path.join(root, 'bench/cold/reporter.ts'),
  output: { file: path.join(dist, 'check-reporter.js'), format: 'esm', codeSplitting: false },
});

await build({
  ...common,
  input: path.join(root, 'src/node/engine/worker/setup.ts'),
  output: { file: path.join(dist, 'check-setup.js'), format: 'esm', codeSplitting: false },
});

await build({
  ...common,
  input: path.join(root, 'src/node/engine/host/host.ts'),
  output: { file: path.join(dist, 'check-host.js'), format: 'esm', codeSplitting: false },
});

await build({
  ...common,
  input: path.join(root, 'src/node/engine/daemon/daemon.ts'),
  output: { file: path.join(dist, 'check-daemon.js'), format: 'esm', codeSplitting: false },
});

await build({
  ...common,
  input: path.join(root, 'src/node/engine/types/types-thread.ts'),
  output: { file: path.join(dist, 'check-types.js'), format: 'esm', codeSplitting: false },
});

await build({
  ...common,
  input: path.join(root, 'src/node/engine/worker/guard.ts'),
  output: { file: path.join(dist, 'check-guard.cjs'), format: 'cjs', codeSplitting: false },
});

await rm(stub);
execFileSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.harness.json'), '--outDir', path.join(dist, 'harness')],
  { stdio: 'inherit' },
);

// The same code init uses for other courses (src/node/course-lib.ts), bundled for this one call.
const courseLib = path.join(dist, '.course-lib.mjs');
await build({ ...common, input: path.join(root, 'src/node/course-lib.ts'), output: { file: courseLib, format: 'esm', codeSplitting: false } });
const { writePrebuilt } = await import(pathToFileURL(courseLib).href);
await writePrebuilt(root, path.join(dist, 'course-lib'));
await rm(courseLib);

await rm(final, { recursive: true, force: true });
await rename(dist, final);
