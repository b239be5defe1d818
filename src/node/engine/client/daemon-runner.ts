import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../../core/errors.js';
import type { Verdict } from '../../../core/verdict.js';
import { packageInfo } from '../../package-root.js';
import { trace } from '../../trace.js';
import type { CheckOptions, CheckRunner, CheckTarget } from '../check-runner.js';
import { daemonAddress, type DaemonFailure, type FromDaemon, type ToDaemon } from '../shared/daemon-protocol.js';
import { lines } from '../shared/lines.js';
import { EngineRunner } from './engine-runner.js';

// A daemon just spawned listens within ~0.1 s; on a loaded machine allow much longer, then check here.
const START_LIMIT_MS = 10_000;

/** A failure the daemon reported for the check itself (a user error, a bug): not a reason to retry here. */
class Reported extends Error {
  constructor(readonly error: Error) {
    super(error.message);
  }
}

/**
 * The runner of `run`: asks the workspace's engine daemon (starting it if none is up), which keeps
 * vitest and TypeScript warm for the next command and exits after an idle spell. Wherever the
 * daemon cannot be used (turned off, no private folder for its socket, it died mid-check), the
 * check runs here in a one-shot engine instead, exactly as before: the daemon only ever saves time.
 */
export class DaemonRunner implements CheckRunner {
  private local: EngineRunner | undefined;
  private readonly open = new Set<net.Socket>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async check(target: CheckTarget, options: CheckOptions = {}): Promise<Verdict> {
    const address = await daemonAddress(target.learner.dir, this.env);
    if (address) {
      try {
        const verdict = await this.viaDaemon(address, absolute(target), options);
        if (verdict) return verdict;
      } catch (error) {
        if (error instanceof Reported) throw error.error;
        trace(`daemon: ${(error as Error).message}; checking here instead`);
      }
    }
    return this.here().check(target, options);
  }

  checkMany(targets: readonly CheckTarget[], onVerdict?: (v: Verdict, index: number) => void): Promise<Verdict[]> {
    return this.here().checkMany(targets, onVerdict);
  }

  async close(): Promise<void> {
    for (const conn of this.open) conn.destroy();
    await this.local?.close();
  }

  private here(): EngineRunner {
    return (this.local ??= new EngineRunner({ oneShot: true }));
  }

  /** The daemon's verdict, or undefined if the connection ended without one (it died). */
  private async viaDaemon(address: string, target: CheckTarget, options: CheckOptions): Promise<Verdict | undefined> {
    const conn = await connectOrStart(address, this.env);
    this.open.add(conn);
    try {
      return await new Promise<Verdict | undefined>((resolve, reject) => {
        lines(conn, (line) => {
          const msg = JSON.parse(line) as FromDaemon;
          if (msg.type === 'runtime') options.onRuntime?.(msg.verdict);
          else if (msg.type === 'verdict') resolve(msg.verdict);
          else reject(new Reported(rebuild(msg.failure)));
        });
        conn.on('close', () => resolve(undefined));
        conn.on('error', () => resolve(undefined));
        const request: ToDaemon = { type: 'check', target, force: true };
        conn.write(`${JSON.stringify(request)}\n`);
      });
    } finally {
      this.open.delete(conn);
      conn.destroy();
    }
  }
}

/** The daemon's cwd is not ours: every path it is given must stand on its own. */
const absolute = (t: CheckTarget): CheckTarget => ({
  ...t,
  courseRoot: path.resolve(t.courseRoot),
  learner: { dir: path.resolve(t.learner.dir), displayBase: path.resolve(t.learner.displayBase) },
});

function tryConnect(address: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const conn = net.connect(address);
    conn.once('connect', () => resolve(conn));
    conn.once('error', () => resolve(undefined));
  });
}

async function connectOrStart(address: string, env: NodeJS.ProcessEnv): Promise<net.Socket> {
  const running = await tryConnect(address);
  if (running) {
    trace(`daemon: connected (warm) at ${address}`);
    return running;
  }
  trace(`daemon: starting one at ${address}`);
  const child = spawn(process.execPath, [...process.execArgv, path.join(packageInfo().root, 'dist', 'check-daemon.js'), address], {
    detached: true,
    stdio: 'ignore',
    // Not the workspace: a daemon must not keep the learner's folder busy.
    cwd: os.tmpdir(),
    env,
  });
  child.on('error', () => {});
  child.unref();
  const deadline = Date.now() + START_LIMIT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    const conn = await tryConnect(address);
    if (conn) {
      trace(`daemon: connected (new) at ${address}`);
      return conn;
    }
    if (child.exitCode !== null && child.exitCode !== 0) break;
  }
  throw new Error('the engine daemon did not start');
}

function rebuild(f: DaemonFailure): Error {
  if (f.user) return new UserError(f.message, { code: f.user.code, exitCode: f.user.exitCode, ...(f.user.next !== undefined ? { next: f.user.next } : {}) });
  const error = Object.assign(new Error(f.message), f.errno ?? {});
  if (f.stack) error.stack = f.stack;
  return error;
}
