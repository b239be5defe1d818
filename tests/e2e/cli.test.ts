import { readFile, writeFile, rm, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execa } from 'execa';
import { cli, cliPath, copyOfMiniCourse, miniCourse, tempDir } from '../helpers.js';

let course: string;

async function workspace(): Promise<string> {
  const dir = await tempDir('al-ws-');
  const r = await cli(['init', '--course', course, '--no-install'], { cwd: dir });
  expect(r.code, r.all).toBe(0);
  return dir;
}

beforeAll(async () => {
  course = path.join(await mkdtemp(path.join(os.tmpdir(), 'al-e2e-')), 'mini-course');
  await cp(miniCourse, course, { recursive: true });
});
afterAll(() => rm(path.dirname(course), { recursive: true, force: true }));

describe('the built CLI on the mini course', () => {
  test('--version and --help', async () => {
    const cwd = await tempDir();
    expect((await cli(['--version'], { cwd })).stdout).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await cli(['--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 success, 1 a check failed, 2 usage or user error/);
    const runHelp = await cli(['run', '--help'], { cwd });
    expect(runHelp.stdout).toMatch(/^Usage: async-lessons run \[name\]/);
  });

  test('run: fail (exit 1) → fix → pass (exit 0), solution revealed, next named, progress kept', async () => {
    const ws = await workspace();
    // The current exercise starts at the first one; move to "fails" by passing "passes".
    const first = await cli(['run'], { cwd: ws });
    expect(first.code, first.all).toBe(0);
    expect(first.stdout).toMatch(/✓ passes passed/);
    expect(first.stdout).toMatch(/Next: fails/);

    const failing = await cli(['run'], { cwd: path.join(ws, 'exercises') });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/✗ fails failed \(2 of 2 tests failing\)/);
    expect(failing.stdout).toMatch(/add\(1, 2\) should be 3/);

    await writeFile(path.join(ws, 'exercises/01_basics/fails.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
    const passing = await cli(['run', 'fails', '--json'], { cwd: ws });
    expect(passing.code).toBe(0);
    const verdict = JSON.parse(passing.stdout);
    expect(verdict).toMatchObject({ status: 'passed', exercise: 'fails', next: 'syntax_error', solution: ['solutions/01_basics/fails.ts'] });
    expect(await readFile(path.join(ws, 'solutions/01_basics/fails.ts'), 'utf8')).toMatch(/return a \+ b/);

    const list = JSON.parse((await cli(['list', '--json'], { cwd: ws })).stdout);
    expect(list.done).toBe(2);
    expect(list.exercises.find((e: { current: boolean }) => e.current).name).toBe('syntax_error');

    const solution = await cli(['solution', 'fails'], { cwd: ws });
    expect(solution.code).toBe(0);
    expect(solution.stdout).toMatch(/Reference solution: solutions\/01_basics\/fails.ts/);
  });

  test('hint reveals one more hint each time', async () => {
    const ws = await workspace();
    const one = await cli(['hint', 'fails'], { cwd: ws });
    expect(one.stdout).toMatch(/1\/2\. Look at the operator\./);
    expect(one.stdout).not.toMatch(/2\/2/);
    const two = await cli(['hint', 'fails'], { cwd: ws });
    expect(two.stdout).toMatch(/2\/2\. Use \+ instead of -\./);
    expect(two.stdout).toMatch(/That is the last hint/);
  });

  test('user errors: unknown exercise, unknown command, bad option, outside a workspace → exit 2, no stack', async () => {
    const ws = await workspace();
    const unknown = await cli(['run', 'nope'], { cwd: ws });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no exercise named "nope"/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect((await cli(['frobnicate'], { cwd: ws })).code).toBe(2);
    const badOption = await cli(['list', '--colour'], { cwd: ws });
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Usage: async-lessons list/);
    const outside = await cli(['run'], { cwd: await tempDir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not an async-lessons workspace/);
  });

  test('solution before a pass is refused', async () => {
    const ws = await workspace();
    const r = await cli(['solution', 'fails'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/opens once your version passes/);
  });

  test('a deleted exercise file: run says how to restore it; reset restores; undo-reset brings the deletion back', async () => {
    const ws = await workspace();
    await rm(path.join(ws, 'exercises/01_basics/fails.ts'));
    const r = await cli(['run', 'fails'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exercises\/01_basics\/fails.ts is missing/);
    expect(r.stderr).toMatch(/async-lessons reset fails/);
    const reset = await cli(['reset', 'fails'], { cwd: ws });
    expect(reset.code).toBe(0);
    expect((await cli(['run', 'fails'], { cwd: ws })).code).toBe(1);
    expect((await cli(['reset'], { cwd: ws })).code).toBe(2);
  });

  test('a corrupt progress file is set aside with one line, and the command still works', async () => {
    const ws = await workspace();
    await writeFile(path.join(ws, '.async-lessons/progress.json'), '{not json');
    const r = await cli(['list'], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/progress file was not valid JSON; it was moved to progress\.json\.bak-/);
    expect((await readdir(path.join(ws, '.async-lessons'))).some((f) => f.startsWith('progress.json.bak-'))).toBe(true);
  });

  test('a broken info.toml is reported with every problem at once', async () => {
    const broken = await copyOfMiniCourse();
    const toml = await readFile(path.join(broken, 'info.toml'), 'utf8');
    await writeFile(path.join(broken, 'info.toml'), toml.replace('hint = "It already passes."', 'hnit = "typo"').replace('timeout_ms = 1000', 'timeout_ms = "soon"'));
    const r = await cli(['dev', 'check'], { cwd: broken });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exercise passes: hint: is required/);
    expect(r.stderr).toMatch(/exercise passes: hnit: unknown field/);
    expect(r.stderr).toMatch(/exercise infinite_loop: timeout_ms:/);
  });

  test('init into a folder with clashing files writes nothing', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'exercises/01_basics'), { recursive: true });
    await writeFile(path.join(dir, 'exercises/01_basics/passes.ts'), 'mine');
    const r = await cli(['init', '--course', course], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/would overwrite/);
    expect(await readFile(path.join(dir, 'exercises/01_basics/passes.ts'), 'utf8')).toBe('mine');
  });

  test('bare async-lessons without a TTY: prints the command to run and exits 2; --yes sets up', async () => {
    const empty = await tempDir();
    const asked = await cli(['--course', course], { cwd: empty });
    expect(asked.code).toBe(2);
    expect(asked.stdout).toMatch(/init \. --yes/);
    const yes = await cli(['--yes', '--course', course], { cwd: empty });
    expect(yes.code, yes.all).toBe(0);
    const status = await cli(['status'], { cwd: empty });
    expect(status.stdout).toMatch(/Current: passes/);

    const busy = await tempDir();
    await writeFile(path.join(busy, 'notes.txt'), 'x');
    const offer = await cli(['--yes', '--course', course], { cwd: busy });
    expect(offer.code, offer.all).toBe(0);
    expect(offer.stdout).toMatch(/\.\/async-lessons\//);
    expect((await readdir(path.join(busy, 'async-lessons'))).includes('exercises')).toBe(true);

    const inCourse = await cli([], { cwd: course });
    expect(inCourse.stdout).toMatch(/This folder is a course/);
  });
});

test('verify in a workspace checks everything, records passes, exits 1 while any fails', async () => {
  const dir = await tempDir('al-ws-');
  expect((await cli(['init', '--course', course, '--no-install'], { cwd: dir })).code).toBe(0);
  const r = await cli(['verify', '--json'], { cwd: dir });
  expect(r.code, r.stderr).toBe(1);
  const out = JSON.parse(r.stdout) as { passed: number; failed: number; verdicts: Array<{ exercise: string; status: string; reason?: string }> };
  expect(out.passed).toBe(1);
  expect(out.failed).toBe(9);
  // An exercise the course lacks files for still gets a verdict; it does not stop the others.
  expect(out.verdicts.find((v) => v.exercise === 'missing_on_disk')?.reason).toMatch(/missing_on_disk.test.ts is missing/);
  const list = JSON.parse((await cli(['list', '--json'], { cwd: dir })).stdout) as { done: number };
  expect(list.done).toBe(1);
});

test('verify --solutions on a course checks every reference solution', async () => {
  const dir = await tempDir();
  expect((await cli(['dev', 'new', 'c'], { cwd: dir })).code).toBe(0);
  const r = await cli(['verify'], { cwd: path.join(dir, 'c') });
  expect(r.code, r.all).toBe(0);
  expect(r.stdout).toMatch(/✓ double/);
  expect(r.stdout).toMatch(/1 of 1 exercise passed/);
});

test('Ctrl-C during a run exits 130 and leaves no run area of its own behind', async () => {
  const ws = await workspace();
  const child = execa(process.execPath, [cliPath, 'run', 'infinite_loop'], { cwd: ws, reject: false, stdin: 'ignore', env: { NO_COLOR: '1', ASYNC_LESSONS_DAEMON: '0', ASYNC_LESSONS_TRACE: '1' } });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  // The run is under way in the host: its area holds the slot being checked.
  const started = Date.now();
  while (!err.includes('run: sent') && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
  expect(err).toContain('run: sent');
  const mine = async () => {
    const bases = [path.join(os.tmpdir(), 'async-lessons-runs'), path.join(os.tmpdir(), `async-lessons-runs-${os.userInfo().uid}`)];
    const names = (await Promise.all(bases.map((b) => readdir(b).catch(() => [] as string[])))).flat();
    return names.filter((n) => n.startsWith(`area-${child.pid}-`));
  };
  expect(await mine()).toHaveLength(1);
  child.kill('SIGINT');
  expect((await child).exitCode).toBe(130);
  expect(await mine()).toEqual([]);
}, 60_000);
