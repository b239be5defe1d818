import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { cli, cliPath, copyOfMiniCourse, tempDir } from '../helpers.js';

// Issue 10, items 3–5 and the minor ones about messages: what a learner sees coming back the next
// day, after npx, and around reset --all.

async function workspace(course: string): Promise<string> {
  const dir = await tempDir('al-flow-');
  const r = await cli(['init', '--course', course, '--no-install'], { cwd: dir });
  expect(r.code, r.all).toBe(0);
  return dir;
}

/** Bare `async-lessons` without a terminal (plain watch mode), quit with q once it has shown a verdict. */
async function watchOnce(cwd: string, args: string[] = []) {
  const child = execa(process.execPath, [cliPath, ...args], { cwd, env: { NO_COLOR: '1', npm_command: '', npm_lifecycle_event: '' }, stdin: 'pipe', reject: false });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 300 && !/type a letter \+ enter/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  child.stdin!.write('q\n');
  const done = await child;
  return { code: done.exitCode, out, err: done.stderr };
}

describe('coming back to a workspace made in a non-empty folder', () => {
  test('the same command opens ./async-lessons/; status and run point to it; a stray ./async-lessons/ is named for what it is', async () => {
    const course = await copyOfMiniCourse();
    const home = await tempDir('al-home-');
    await writeFile(path.join(home, 'notes.txt'), 'mine\n');
    const first = await cli(['--yes', '--course', course], { cwd: home });
    expect(first.code, first.all).toBe(0);
    expect(first.stdout).toMatch(/Set up your mini-course workspace in async-lessons\./);
    expect(first.stdout).toMatch(/Then run cd async-lessons && async-lessons/);

    const again = await watchOnce(home);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/^Opening your workspace in \.\/async-lessons\//);
    expect(again.out).toMatch(/✓ passes passed/);
    expect(again.out).not.toMatch(/already exists/);

    for (const command of [['status'], ['run'], ['hint'], ['list']]) {
      const r = await cli(command, { cwd: home });
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/your workspace is \.\/async-lessons\/ inside it/);
      expect(r.stderr).toMatch(/Run `cd async-lessons`, then this command again/);
    }

    const other = await tempDir('al-other-');
    await writeFile(path.join(other, 'notes.txt'), 'mine\n');
    await mkdir(path.join(other, 'async-lessons'));
    const stray = await cli(['--yes', '--course', course], { cwd: other });
    expect(stray.code).toBe(2);
    expect(stray.stdout).toMatch(/\.\/async-lessons\/ already exists here, and it is not an async-lessons workspace/);
    expect(await readdir(path.join(other, 'async-lessons'))).toEqual([]);
  }, 60_000);
});

describe('commands are named as the learner started them', () => {
  test('through npx every suggestion says `npx async-lessons …` and setup offers the global install; otherwise `async-lessons …`', async () => {
    const course = await copyOfMiniCourse();
    const dir = await tempDir('al-npx-');
    const npx = { npm_command: 'exec', npm_lifecycle_event: 'npx' };
    const init = await cli(['init', '--course', course, '--no-install'], { cwd: dir, env: npx });
    expect(init.stdout).toMatch(/Then run npx async-lessons: it checks every save\./);
    expect(init.stdout).toMatch(/it once: `npm i -g async-lessons` \(or `npm i -g \.\/async-lessons-\d+\.\d+\.\d+\.tgz`\)\.$/m);
    expect(init.stdout.split('\n').every((l) => l.length <= 80)).toBe(true);
    await cli(['run'], { cwd: dir, env: npx });
    const failing = await cli(['run'], { cwd: dir, env: npx });
    expect(failing.stdout).toMatch(/`npx async-lessons hint` gives a hint/);
    const status = await cli(['status'], { cwd: dir, env: npx });
    expect(status.stdout).toMatch(/^ {2}npx async-lessons run +check it$/m);
    expect(status.stdout.split('\n').filter((l) => l.startsWith('  ')).every((l) => l.length <= 60)).toBe(true);
    const missing = await cli(['reset'], { cwd: dir, env: npx });
    expect(missing.stderr).toMatch(/`npx async-lessons reset <name>`/);
    // The same folder, the command started as an installed bin: no npx anywhere, no install offer.
    const plain = await cli(['run'], { cwd: dir });
    expect(plain.stdout).toMatch(/`async-lessons hint` gives a hint/);
    expect(plain.all).not.toMatch(/npx/);
    const init2 = await cli(['init', '--course', course, '--no-install'], { cwd: await tempDir() });
    expect(init2.stdout).not.toMatch(/npm i -g/);
  }, 60_000);
});

describe('reset --all asks, and one undo brings everything back', () => {
  test('without a terminal it needs --yes; with it every file is backed up in one folder; undo-reset --all restores them all', async () => {
    const course = await copyOfMiniCourse();
    const ws = await workspace(course);
    const files = ['01_basics/fails.ts', '01_basics/passes.ts', '02_hangs/never_settles.ts'];
    for (const f of files) await writeFile(path.join(ws, 'exercises', f), `// my work on ${f}\n`);

    const refused = await cli(['reset', '--all'], { cwd: ws });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/with no terminal to ask in, it needs --yes\. Nothing was reset\./);
    expect(refused.stderr).toMatch(/`async-lessons reset --all --yes`/);
    expect(await readFile(path.join(ws, 'exercises', files[0]!), 'utf8')).toMatch(/my work/);

    const reset = await cli(['reset', '--all', '--yes'], { cwd: ws });
    expect(reset.code, reset.all).toBe(0);
    const [, folder] = /are backed up in\n {2}(\.async-lessons\/backups\/\S+-all)\/\n/.exec(reset.stdout) ?? [];
    expect(folder, reset.stdout).toBeDefined();
    expect(reset.stdout).toMatch(/This brings them all back:\n {2}`async-lessons undo-reset --all`/);
    for (const f of files) {
      expect(await readFile(path.join(ws, 'exercises', f), 'utf8')).not.toMatch(/my work/);
      expect(await readFile(path.join(ws, folder!, f.split('/')[1]!.replace('.ts', ''), 'files', f), 'utf8')).toMatch(/my work/);
    }

    const undo = await cli(['undo-reset', '--all'], { cwd: ws });
    expect(undo.code, undo.all).toBe(0);
    expect(undo.stdout).toMatch(/^Restored every exercise: \d+ files from \.async-lessons\/backups\/\S+-all\/\./m);
    expect(undo.stdout).toMatch(/The files they replaced are kept in \.async-lessons\/backups\/\S+-all-before-undo\//);
    for (const f of files) expect(await readFile(path.join(ws, 'exercises', f), 'utf8')).toMatch(/my work/);
    const again = await cli(['undo-reset', '--all'], { cwd: ws });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/There is no `reset --all` to undo/);
  }, 60_000);

  test('after reset --all, plain undo-reset undoes it whole; undo-reset <name> takes one exercise out of it', async () => {
    const course = await copyOfMiniCourse();
    const ws = await workspace(course);
    await writeFile(path.join(ws, 'exercises/01_basics/fails.ts'), '// mine: fails\n');
    await writeFile(path.join(ws, 'exercises/01_basics/passes.ts'), '// mine: passes\n');
    expect((await cli(['reset', '--all', '--yes'], { cwd: ws })).code).toBe(0);
    const one = await cli(['undo-reset', 'fails'], { cwd: ws });
    expect(one.stdout).toMatch(/^Restored fails: 1 file from \.async-lessons\/backups\/\S+-all\/fails\/ \(exercises\/01_basics\/fails\.ts\)\./m);
    expect(await readFile(path.join(ws, 'exercises/01_basics/passes.ts'), 'utf8')).not.toMatch(/mine/);
    const rest = await cli(['undo-reset'], { cwd: ws });
    expect(rest.stdout).toMatch(/^Restored every exercise/m);
    expect(await readFile(path.join(ws, 'exercises/01_basics/fails.ts'), 'utf8')).toBe('// mine: fails\n');
    expect(await readFile(path.join(ws, 'exercises/01_basics/passes.ts'), 'utf8')).toBe('// mine: passes\n');
  }, 60_000);

  test('reset of a deleted file says there was nothing to back up', async () => {
    const ws = await workspace(await copyOfMiniCourse());
    await rm(path.join(ws, 'exercises/01_basics/fails.ts'));
    const r = await cli(['reset', 'fails'], { cwd: ws });
    expect(r.stdout).toMatch(/it was missing, so there was nothing to back up/);
    expect(r.stdout).not.toMatch(/Your version is backed up/);
  });
});

describe('messages that must not repeat or omit', () => {
  test('run on an exercise passed long ago does not announce its solution as new; list shows each file', async () => {
    const ws = await workspace(await copyOfMiniCourse());
    const first = await cli(['run', 'passes'], { cwd: ws });
    expect(first.stdout).toMatch(/The reference solution is now in solutions\/01_basics\/passes\.ts/);
    const later = await cli(['run', 'passes'], { cwd: ws });
    expect(later.code).toBe(0);
    expect(later.stdout).not.toMatch(/is now in/);
    const list = await cli(['list'], { cwd: ws });
    expect(list.stdout).toMatch(/^ +#  name +status +file/m);
    expect(list.stdout).toMatch(/^ +1 {2}passes +done +exercises\/01_basics\/passes\.ts$/m);
    expect(list.stdout).toMatch(/^> +2 {2}fails +pending +exercises\/01_basics\/fails\.ts$/m);
    expect(list.stdout).toMatch(/> marks the current exercise/);
  });

  test('--help lists watch mode options and keys, from the bin fast path and the full CLI alike', async () => {
    const cwd = await tempDir();
    const fast = await cli(['--help'], { cwd });
    const full = await cli(['help', 'x'], { cwd }).then(() => cli(['--plain', '--help'], { cwd }));
    for (const help of [fast.stdout, full.stdout]) {
      for (const option of ['--plain', '--poll', '--manual-run', '--edit-cmd']) expect(help).toContain(option);
      expect(help).toMatch(/^ {2}n +next exercise \(after a pass\)$/m);
      expect(help).toMatch(/Ctrl-C +quit at once \(exit 130/);
    }
  });
});
