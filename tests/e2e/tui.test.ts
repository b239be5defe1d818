import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { cp, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, test } from 'vitest';
import { renderMarkdown } from '../../src/ui/markdown.js';
import { plainStyle } from '../../src/ui/style.js';
import { cli, cliPath, copyOfMiniCourse, repoRoot, tempDir } from '../helpers.js';

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
  await waitFor(/Welcome to the mini course\.[\s\S]*01 basics\n═════════[\s\S]*lines 1–6 of 6 · the end/);
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
  await waitFor(/01 basics\n═════════/);
  const cliPid = processesIn(ws).find((pid) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim().endsWith('cli.js'));
  expect(cliPid).toBeDefined();
  process.kill(cliPid!, 'SIGTERM');
  await waitFor(/EXIT=143/);
  await new Promise((r) => setTimeout(r, 500));
  expect(processesIn(ws).filter((pid) => !execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('sleep 30'))).toEqual([]);
}, 60_000);

// The course itself without colour: its first lesson read whole through the pager, q closing the
// lesson (not the program), the whole verdict reachable, a pass counted at once.
test.each([
  [80, 24],
  [60, 20],
])('%i×%i: the first lesson read to its last line, q closes it, the verdict scrolls to its end, a pass counts before n', async (cols, rows) => {
  const ws = await tempDir('al-tui-course-');
  expect((await cli(['init', '--course', repoRoot, '--no-install'], { cwd: ws })).code).toBe(0);
  tmux('new-session', '-d', '-s', session, '-x', String(cols), '-y', String(rows), `cd ${ws} && NO_COLOR=1 ${process.execPath} ${cliPath}; echo EXIT=$?; sleep 30`);
  const lesson = await readFile(path.join(repoRoot, 'exercises/00_intro/README.md'), 'utf8');
  const seen = new Map<number, string>();
  let total = 0;
  for (let page = 0; page < 60; page++) {
    const shot = await waitFor(/lines \d+–\d+ of \d+/);
    const lines = shot.split('\n');
    const at = lines.findIndex((l) => /^lines \d+–\d+ of \d+/.test(l));
    const [, from, to, all] = /^lines (\d+)–(\d+) of (\d+)/.exec(lines[at]!)!.map(Number);
    total = all!;
    expect(lines.every((l) => l.length <= cols)).toBe(true);
    lines.slice(3, 3 + to! - from! + 1).forEach((l, i) => seen.set(from! + i, l));
    if (to === all) break;
    keys('Space');
    await waitFor(new RegExp(`lines ${Math.min(to! + 1, all!)}|lines \\d+–${all} of ${all}`));
  }
  expect(seen.size).toBe(total);
  const read = [...seen.keys()].sort((a, b) => a - b).map((k) => seen.get(k)).join('\n');
  // The course's welcome comes first, then the lesson rendered for the terminal, every letter of it
  // (tests/ui/markdown.test.ts: the rendering loses no word of the Markdown).
  const rendered = renderMarkdown(lesson, cols, { style: plainStyle }).join('\n');
  expect(read.replace(/\s+/g, '').endsWith(rendered.replace(/\s+/g, ''))).toBe(true);
  expect(read).toMatch(/^Each exercise is a TypeScript file/);

  keys('q');
  const verdict = await waitFor(/✗ concurrency_pays failed[\s\S]*lines 1–\d+ of \d+ · more below/, 60_000);
  expect(verdict).not.toMatch(/another terminal/);
  expect(verdict).toMatch(/\? lesson +q quit/);
  keys('G');
  await waitFor(/Edit exercises\/00_intro\/concurrency_pays\.ts[\s\S]*lines \d+–(\d+) of \1 · the end/);

  await cp(path.join(repoRoot, 'solutions/00_intro/concurrency_pays.ts'), path.join(ws, 'exercises/00_intro/concurrency_pays.ts'));
  await waitFor(/✓ concurrency_pays passed[\s\S]*course \S+ 1\/\d+/, 60_000);
  keys('q');
  // How the command is named depends on how it was started (under npx vitest: npx).
  await waitFor(/Run (npx )?async-lessons again to continue\.\s+EXIT=0/);
  const progress = JSON.parse(await readFile(path.join(ws, '.async-lessons/progress.json'), 'utf8'));
  expect(progress.exercises.concurrency_pays).toMatchObject({ status: 'done', attempts: 2 });
  await new Promise((r) => setTimeout(r, 500));
  expect(processesIn(ws).filter((pid) => !execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('sleep 30'))).toEqual([]);
}, 180_000);

// Without a terminal: the same flow as lines; the commands and their help come from the key table.
test('plain mode (no TTY): lesson printed whole, verdict, h, an unknown command lists the commands, q says how to come back', async () => {
  const course = await copyOfMiniCourse();
  const ws = await tempDir('al-plain-');
  expect((await cli(['init', '--course', course, '--no-install'], { cwd: ws })).code).toBe(0);
  // npm_command is cleared: these tests run under npx vitest, and npx's own exec would be named.
  const child = execa(process.execPath, [cliPath], { cwd: ws, env: { NO_COLOR: '1', npm_command: '', npm_lifecycle_event: '' }, stdin: 'pipe', reject: false });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const seen = async (pattern: RegExp) => {
    for (let i = 0; i < 300 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(pattern);
  };
  await seen(/✓ passes passed[\s\S]*type a letter \+ enter: n next · h hint · r re-run · q quit/);
  expect(out).toMatch(/Welcome to the mini course\.\n\n01 basics\n═════════\n\nThe first topic/);
  child.stdin!.write('n\n');
  await seen(/✗ fails failed/);
  child.stdin!.write('h\nh\nh\n');
  await seen(/Hint 1\/2: Look at the operator\.\nHint 2\/2: Use \+ instead of -\.\nHint 1\/2: Look at the operator\.\nHint 2\/2/);
  child.stdin!.write('help\n');
  await seen(/Commands \(type the letter, then enter\):\n  n +next exercise/);
  child.stdin!.write('q\n');
  const done = await child;
  expect(done.exitCode).toBe(0);
  expect(out.trimEnd().split('\n').at(-1)).toBe('Progress saved. Run async-lessons again to continue.');
}, 120_000);

// Issue 10, minor items and item 5 in a real terminal: o runs --edit-cmd through the shell (it
// was split on spaces, making files named `opened;` and `echo`); Ctrl-C exits 130 as in `run`;
// `reset --all` asks, and Enter alone keeps everything.
test('--edit-cmd is run by the shell; Ctrl-C exits 130; reset --all asks y/N with no as the default', async () => {
  const course = await copyOfMiniCourse();
  const ws = await tempDir('al-tui-edit-');
  expect((await cli(['init', '--course', course, '--no-install'], { cwd: ws })).code).toBe(0);
  const env = 'npm_command= npm_lifecycle_event= NO_COLOR=1';
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', `cd ${ws} && ${env} ${process.execPath} ${cliPath} --edit-cmd "touch opened; echo"; echo EXIT=$?; sleep 30`);
  await waitFor(/01 basics\n═════════/);
  keys('Escape');
  await waitFor(/✓ passes passed/);
  keys('o');
  const end = Date.now() + 10_000;
  while (!readdirSync(ws).includes('opened') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  expect(readdirSync(ws)).toContain('opened');
  expect(readdirSync(ws).filter((f) => ['opened;', 'echo'].includes(f) || f.endsWith('passes.ts'))).toEqual([]);
  keys('C-c');
  await waitFor(/Progress saved\. Run async-lessons again to continue\.\s+EXIT=130/);
  tmux('kill-session', '-t', session);

  await writeFile(path.join(ws, 'exercises/01_basics/fails.ts'), '// my work\n');
  tmux('new-session', '-d', '-s', session, '-x', '60', '-y', '20', `cd ${ws} && ${env} ${process.execPath} ${cliPath} reset --all; echo EXIT=$?; sleep 30`);
  await waitFor(/This puts all 10 exercises back to their starting code;\nyour files are backed up first\.\nReset all 10 exercises\? \[y\/N\]/);
  keys('Enter');
  await waitFor(/Nothing was reset\.\s+EXIT=0/);
  expect(await readFile(path.join(ws, 'exercises/01_basics/fails.ts'), 'utf8')).toBe('// my work\n');
  tmux('kill-session', '-t', session);
  tmux('new-session', '-d', '-s', session, '-x', '60', '-y', '20', `cd ${ws} && ${env} ${process.execPath} ${cliPath} reset --all; echo EXIT=$?; sleep 30`);
  await waitFor(/\[y\/N\]/);
  keys('y', 'Enter');
  const done = await waitFor(/Reset 10 exercises\. Your \d+ files are backed up in\n {2}\.async-lessons\/backups\/\S+-all\/\n[\s\S]*EXIT=0/);
  expect(done.split('\n').every((l) => l.length < 60)).toBe(true);
  expect(await readFile(path.join(ws, 'exercises/01_basics/fails.ts'), 'utf8')).not.toBe('// my work\n');
}, 90_000);
