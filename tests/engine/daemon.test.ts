import { execFileSync } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { cli, cliPath, miniCourse, tempDir } from '../helpers.js';

// The engine daemon behind one-shot `run` (off for every other test: vitest.config.ts).
const env = { ASYNC_LESSONS_DAEMON: '1', ASYNC_LESSONS_DAEMON_IDLE_MS: '2500', ASYNC_LESSONS_TRACE: '1' };

async function workspace(): Promise<string> {
  const ws = path.join(await tempDir('al-daemon-'), 'ws');
  expect((await cli(['init', ws, '--course', miniCourse, '--no-install'], { cwd: path.dirname(ws) })).code).toBe(0);
  return ws;
}

/** The daemon's socket, as the CLI's trace names it. */
const socketOf = (stderr: string): string => {
  const at = / at (\S+\.sock)$/m.exec(stderr)?.[1];
  expect(at).toBeDefined();
  return at!;
};

/** pid → parent pid and command line, for every live process. */
function processes(): Array<{ pid: number; ppid: number; pgid: number; args: string }> {
  return execFileSync('ps', ['-ww', '-eo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && !m[4]!.startsWith('Z'))
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), args: m[5]! }));
}

/** The daemon listening on `socket` and the process groups of the hosts it started. */
function daemonAndHosts(socket: string): { daemon: number | undefined; hostGroups: number[] } {
  const all = processes();
  const daemon = all.find((p) => p.args.includes('check-daemon.js') && p.args.includes(socket))?.pid;
  return { daemon, hostGroups: all.filter((p) => daemon !== undefined && p.ppid === daemon).map((p) => p.pgid) };
}

const gone = (pids: { daemon: number | undefined; hostGroups: number[] }) => {
  const all = processes();
  return !all.some((p) => p.pid === pids.daemon || pids.hostGroups.includes(p.pgid));
};

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (ok()) return true;
  return ok();
}

test('a second run finds the engine warm, checks the file as it is now, and nothing of ours stays after the idle spell', async () => {
  const ws = await workspace();
  const first = await cli(['run', 'fails'], { cwd: ws, env });
  const socket = socketOf(first.stderr);
  expect(first.code).toBe(1);
  expect(first.stderr).toContain('daemon: starting one');
  expect(first.stdout).toMatch(/fails failed/);

  await cp(path.join(miniCourse, 'solutions/01_basics/fails.ts'), path.join(ws, 'exercises/01_basics/fails.ts'));
  const second = await cli(['run', 'fails'], { cwd: ws, env });
  expect(second.stderr).toContain('daemon: connected (warm)');
  expect(second.stdout).toMatch(/fails passed/);
  expect(second.code).toBe(0);

  const running = daemonAndHosts(socket);
  expect(running.daemon).toBeDefined();
  expect(running.hostGroups.length).toBeGreaterThan(0);
  // Idle 2.5 s, then it closes its host and leaves, taking its socket with it.
  expect(await until(() => gone(running), 15_000)).toBe(true);
  expect(existsSync(socket)).toBe(false);
}, 90_000);

test('Ctrl-C during a run stops the run, the daemon and its host at once (exit 130)', async () => {
  const ws = await workspace();
  const child = execa(process.execPath, [cliPath, 'run', 'infinite_loop'], { cwd: ws, reject: false, stdin: 'ignore', env: { ...env, NO_COLOR: '1' } });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  expect(await until(() => err.includes('daemon: connected'), 30_000)).toBe(true);
  const socket = socketOf(err);
  // The daemon has the check now: its host is spinning in the learner's loop.
  expect(await until(() => daemonAndHosts(socket).hostGroups.length > 0, 10_000)).toBe(true);
  const running = daemonAndHosts(socket);
  child.kill('SIGINT');
  expect((await child).exitCode).toBe(130);
  expect(await until(() => gone(running), 5000)).toBe(true);
}, 90_000);

test('a socket file left by a dead daemon does not stop run', async () => {
  const ws = await workspace();
  // Where this workspace's daemon will listen: learnt from a first run, then left as a plain file.
  const socket = socketOf((await cli(['run', 'passes'], { cwd: ws, env: { ...env, ASYNC_LESSONS_DAEMON_IDLE_MS: '1' } })).stderr);
  await until(() => !existsSync(socket), 10_000);
  await writeFile(socket, 'not a socket');
  const r = await cli(['run', 'passes'], { cwd: ws, env: { ...env, ASYNC_LESSONS_DAEMON_IDLE_MS: '1' } });
  expect(r.stdout).toMatch(/passes passed/);
  expect(r.stderr).toContain('daemon: connected (new)');
  const running = daemonAndHosts(socket);
  expect(await until(() => gone(running), 15_000)).toBe(true);
}, 90_000);
