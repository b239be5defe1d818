import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { cli, cliPath, copyOfMiniCourse, tempDir } from '../helpers.js';

// The real TUI in a real terminal (tmux), as a learner would use it, at 80×24 without colour.
const session = `al-tui-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);

async function waitFor(pattern: RegExp, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = screen();
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern} on screen:\n${last}`);
}
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);

/** Processes whose working folder is inside `dir`: the TUI, its check host and workers. */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readlinkSync(`/proc/${p}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

afterEach(() => {
  try {
    tmux('kill-session', '-t', session);
  } catch {
    // already gone
  }
});

// CI=true: Ink alone would then print only the final frame; the TUI must still be live.
test('fail → fix → pass → n; a rename save; two quick saves; h twice; list search jump; hang; Ctrl-C leaves nothing', async () => {
  const course = await copyOfMiniCourse();
  const ws = await tempDir('al-tui-ws-');
  expect((await cli(['init', '--course', course, '--no-install'], { cwd: ws })).code).toBe(0);
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', `cd ${ws} && CI=true NO_COLOR=1 ${process.execPath} ${cliPath}; echo EXIT=$?; sleep 30`);

  // First the welcome and the topic's lesson, then the exercise.
  await waitFor(/Welcome to the mini course\.[\s\S]*# 01 basics[\s\S]*page 1\/1/);
  keys('Escape');
  await waitFor(/✓ passes passed[\s\S]*Press n for the next exercise/);
  expect(screen().split('\n').every((l) => l.length <= 80)).toBe(true);
  keys('n');
  await waitFor(/✗ fails failed \(2 of 2 tests failing\)/);

  // A temp-file-and-rename save, as many editors do.
  const file = path.join(ws, 'exercises/01_basics/fails.ts');
  await writeFile(`${file}.tmp`, 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  await rename(`${file}.tmp`, file);
  await waitFor(/✓ fails passed/);

  // Two saves 20 ms apart: the verdict on screen is for the second.
  await writeFile(file, 'export function add(a: number, b: number): number {\n  return a * b;\n}\n');
  await new Promise((r) => setTimeout(r, 20));
  await writeFile(file, 'export function add(a: number, b: number): number {\n  return b + a;\n}\n');
  await new Promise((r) => setTimeout(r, 1500));
  await waitFor(/✓ fails passed/);

  keys('h');
  await waitFor(/1\/2\. Look at the operator\./);
  keys('h');
  await waitFor(/2\/2\. Use \+ instead of -\./);

  keys('l');
  await waitFor(/enter go/);
  keys('/');
  keys('-l', 'infinite');
  keys('Enter');
  keys('Enter');
  // A new topic opens with its lesson (the mini course's 02_hangs has none: the view says so).
  await waitFor(/This topic has no lesson\./);
  keys('Escape');
  await waitFor(/blocked the event loop/, 30_000);
  expect(screen()).toMatch(/infinite_loop · 02_hangs/);
  expect(screen()).toMatch(/The lesson that explains this: exercises\/01_basics\/README\.md/);
  // Fixed, the same session checks it again and it passes.
  await writeFile(path.join(ws, 'exercises/02_hangs/infinite_loop.ts'), await readFile(path.join(course, 'solutions/02_hangs/infinite_loop.ts'), 'utf8'));
  await waitFor(/✓ infinite_loop passed/, 20_000);

  keys('C-c');
  await waitFor(/EXIT=\d+/);
  await new Promise((r) => setTimeout(r, 500));
  expect(processesIn(ws).filter((pid) => !execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('sleep 30'))).toEqual([]);
}, 120_000);

test('SIGTERM to the TUI: exit 143, the check host and its workers gone', async () => {
  const course = await copyOfMiniCourse();
  const ws = await tempDir('al-tui-term-');
  expect((await cli(['init', '--course', course, '--no-install'], { cwd: ws })).code).toBe(0);
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', `cd ${ws} && env -u CI -u CONTINUOUS_INTEGRATION NO_COLOR=1 ${process.execPath} ${cliPath}; echo EXIT=$?; sleep 30`);
  await waitFor(/# 01 basics/);
  const cliPid = processesIn(ws).find((pid) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim().endsWith('cli.js'));
  expect(cliPid).toBeDefined();
  process.kill(cliPid!, 'SIGTERM');
  await waitFor(/EXIT=143/);
  await new Promise((r) => setTimeout(r, 500));
  expect(processesIn(ws).filter((pid) => !execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('sleep 30'))).toEqual([]);
}, 60_000);
