import { execa } from 'execa';
import { chmod, chown, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { cli, cliPath, miniCourse, tempDir } from '../helpers.js';

// A workspace the learner cannot write, as an earlier `sudo npx async-lessons` leaves it: the
// learner's own folder with a root-owned .async-lessons/. Runs the real CLI as `nobody`, so it
// needs root to set up (CI and this machine run as root) and setpriv.
const NOBODY = 65534;
// Also: `nobody` must be able to reach this checkout (a clone inside a 0700 folder, as `mktemp -d`
// makes, is out of its reach; the test then cannot run, rather than fail).
const asRoot =
  process.getuid?.() === 0 &&
  (await execa('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(cliPath)})`], { reject: false })).exitCode === 0;
if (!asRoot) console.warn('read-only tests skipped: they need root, setpriv, and a checkout that user nobody can read');

async function lockedWorkspace(): Promise<string> {
  const dir = await tempDir('al-ro-');
  await chmod(dir, 0o755);
  const ws = path.join(dir, 'ws');
  const made = await cli(['init', ws, '--course', miniCourse, '--no-install'], { cwd: dir });
  expect(made.code).toBe(0);
  await execa('chown', ['-R', `${NOBODY}:${NOBODY}`, ws]);
  await chown(path.join(ws, '.async-lessons'), 0, 0);
  for (const f of ['progress.json', 'workspace.json']) await chown(path.join(ws, '.async-lessons', f), 0, 0).catch(() => {});
  return ws;
}

const asNobody = (args: string[], cwd: string) =>
  execa('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, cliPath, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', HOME: cwd, PATH: process.env.PATH ?? '' },
  });

test.skipIf(!asRoot)('run and hint in a workspace whose progress cannot be written: the verdict or hint, then which path and the fix, exit 2', async () => {
  const ws = await lockedWorkspace();
  const run = await asNobody(['run', 'fails'], ws);
  expect(run.stdout).toMatch(/add\(1, 2\) should be 3/);
  expect(run.stderr).toMatch(/cannot write \.async-lessons\/progress\.json: permission denied/);
  expect(run.stderr).toMatch(/sudo chown -R \$USER \./);
  expect(run.stderr).not.toMatch(/hit a bug|\.tmp/);
  expect(run.exitCode).toBe(2);

  const json = await asNobody(['run', 'fails', '--json'], ws);
  expect(JSON.parse(json.stdout).status).toBe('failed');
  expect(json.exitCode).toBe(2);

  const hint = await asNobody(['hint', 'fails'], ws);
  expect(hint.stdout).toMatch(/Look at the operator/);
  expect(hint.stderr).toMatch(/cannot write \.async-lessons\/progress\.json/);
  expect(hint.exitCode).toBe(2);
});

test.skipIf(!asRoot)('init into a folder the learner cannot write says which and what to do, exit 2', async () => {
  const dir = await tempDir('al-ro-');
  await chmod(dir, 0o755);
  const target = path.join(dir, 'locked');
  await mkdir(target);
  const r = await asNobody(['init', 'locked', '--course', miniCourse, '--no-install'], dir);
  expect(r.stderr).toMatch(/cannot write locked\/.+: permission denied/);
  expect(r.stderr).not.toMatch(/hit a bug/);
  expect(r.exitCode).toBe(2);
});

test.skipIf(!asRoot)('a progress file that cannot be read is never written over', async () => {
  const ws = await lockedWorkspace();
  const file = path.join(ws, '.async-lessons', 'progress.json');
  // Some progress, made (as root) by an earlier `sudo` run; the folder itself is the learner's.
  const made = await cli(['hint', 'fails'], { cwd: ws });
  expect(made.code).toBe(0);
  await chown(path.join(ws, '.async-lessons'), NOBODY, NOBODY);
  const before = await readFile(file, 'utf8');
  await chmod(file, 0o600);
  const r = await asNobody(['hint', 'fails'], ws);
  expect(r.stderr).toMatch(/cannot be read \(EACCES\)/);
  expect(r.exitCode).toBe(2);
  expect(await readFile(file, 'utf8')).toBe(before);
});

test.skipIf(!asRoot)('watch mode in a workspace whose progress cannot be written keeps running and says so', async () => {
  const ws = await lockedWorkspace();
  const child = execa('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, cliPath, '--plain'], {
    cwd: ws,
    reject: false,
    env: { NO_COLOR: '1', HOME: ws, PATH: process.env.PATH ?? '' },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/Progress is not being saved/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  // Still alive and answering: a hint is shown after the warning.
  child.stdin?.write('h\n');
  while (!/It already passes/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  child.stdin?.write('q\n');
  const r = await child;
  expect(out).toMatch(/Progress is not being saved: async-lessons cannot write \.async-lessons\/progress\.json/);
  expect(out).toMatch(/It already passes/);
  expect(`${r.stderr}`).not.toMatch(/hit a bug|at .*\.js:\d+/);
  expect(r.exitCode).toBe(0);
}, 60_000);
