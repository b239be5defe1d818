// The engine daemon (dist/check-daemon.js): a detached process that keeps one warm EngineRunner
// for the one-shot commands of one workspace, so the second `run` in a row finds vitest and
// TypeScript already loaded. Started by client/daemon-runner.ts with the socket path as argv[2].
// It exits after IDLE_MS without a check, and at once when a client hangs up mid-check.
import net from 'node:net';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isUserError } from '../../../core/errors.js';
import { EngineRunner } from '../client/engine-runner.js';
import { killAllHosts } from '../client/host-client.js';
import { daemonIdleMs, type DaemonFailure, type FromDaemon, type ToDaemon } from '../shared/daemon-protocol.js';
import { lines } from '../shared/lines.js';

const socket = process.argv[2];
if (!socket) {
  process.stderr.write('check-daemon: no socket path given\n');
  process.exit(2);
}

const runner = new EngineRunner();
const idleMs = daemonIdleMs(process.env);
let active = 0;
let idle: NodeJS.Timeout | undefined;
let leaving = false;

/** Everything of ours ends now: hosts (whole process groups), the socket, this process. */
function leaveNow(code = 0): never {
  leaving = true;
  killAllHosts();
  rmSync(socket!, { force: true });
  process.exit(code);
}

async function leave(): Promise<void> {
  if (leaving) return;
  leaving = true;
  server.close();
  await runner.close().catch(() => {});
  leaveNow();
}

function armIdle(ms = idleMs): void {
  clearTimeout(idle);
  if (active === 0) idle = setTimeout(() => void leave(), ms);
}

function failureOf(error: unknown): DaemonFailure {
  const e = error as NodeJS.ErrnoException;
  return {
    message: String(e?.message ?? error),
    ...(e?.stack ? { stack: e.stack } : {}),
    ...(isUserError(error) ? { user: { code: error.code, next: error.next, exitCode: error.exitCode } } : {}),
    ...(typeof e?.code === 'string' && !isUserError(error) ? { errno: { code: e.code, ...(e.path ? { path: e.path } : {}), ...(e.syscall ? { syscall: e.syscall } : {}) } } : {}),
  };
}

const server = net.createServer((conn) => {
  if (leaving) return conn.destroy();
  let asked = false;
  let answered = false;
  const send = (msg: FromDaemon) => conn.write(`${JSON.stringify(msg)}\n`);
  conn.on('error', () => {});
  // The client went away before its verdict: it was stopped (Ctrl-C, a closed terminal). Stop
  // as a one-shot command would have: the run and everything under it, now.
  conn.on('close', () => {
    if (asked && !answered && !leaving) leaveNow();
  });
  lines(conn, async (line) => {
    let msg: ToDaemon;
    try {
      msg = JSON.parse(line) as ToDaemon;
    } catch (error) {
      answered = true;
      send({ type: 'failed', failure: failureOf(error) });
      return void conn.end();
    }
    if (msg.type !== 'check' || asked) return;
    asked = true;
    active += 1;
    clearTimeout(idle);
    try {
      const verdict = await runner.check(msg.target, { force: msg.force, onRuntime: (v) => send({ type: 'runtime', verdict: v }) });
      answered = true;
      send({ type: 'verdict', verdict });
    } catch (error) {
      answered = true;
      send({ type: 'failed', failure: failureOf(error) });
    } finally {
      active -= 1;
      conn.end();
      armIdle();
    }
  });
});

async function listen(): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => resolve());
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    // A socket file is there: another daemon answering (we are not needed), or a dead one's file.
    const live = await new Promise<boolean>((resolve) => {
      const probe = net.connect(socket!, () => (probe.destroy(), resolve(true)));
      probe.on('error', () => resolve(false));
    });
    if (live) process.exit(0);
    await rm(socket!, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => resolve());
    });
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => leaveNow(0));
process.on('uncaughtException', () => leaveNow(3));

await listen().catch(() => process.exit(1));
// vitest and TypeScript load while the client connects and sends its first check.
runner.start();
// The client that started us connects within moments; an idle spell shorter than that is no reason to leave first.
armIdle(Math.max(idleMs, 10_000));
