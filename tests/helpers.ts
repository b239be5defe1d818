import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { onTestFinished } from 'vitest';

export const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const miniCourse = path.join(repoRoot, 'tests/fixtures/mini-course');
export const cliPath = path.join(repoRoot, 'dist/cli.js');

/** A fresh temp folder, removed when the test ends. */
export async function tempDir(prefix = 'al-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A private copy of the mini course, so tests may change it. */
export async function copyOfMiniCourse(): Promise<string> {
  const dir = path.join(await tempDir('al-course-'), 'mini-course');
  await cp(miniCourse, dir, { recursive: true });
  return dir;
}

/** Runs the built CLI the way a user would; never throws on a non-zero exit. */
export async function cli(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const r = await execa(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    reject: false,
    stdin: 'ignore',
    // Cleared: tests run under npx vitest, whose npm variables would make the CLI name `npx async-lessons`.
    env: { NO_COLOR: '1', npm_command: '', npm_lifecycle_event: '', ...options.env },
  });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}
