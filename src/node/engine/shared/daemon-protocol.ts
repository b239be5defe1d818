import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Verdict } from '../../../core/verdict.js';
import { packageInfo } from '../../package-root.js';
import type { CheckTarget } from '../check-runner.js';

/*
 * What crosses between a one-shot command (`run`) and the engine daemon that keeps a check host
 * warm for the next one: one connection per check, newline-delimited JSON, request then answers.
 * The daemon lives in a detached process of its own; it exits after an idle spell (IDLE_MS), and
 * at once when a client hangs up mid-check (Ctrl-C stops everything, as without a daemon).
 */

export const DAEMON_ENV = {
  /** `0` turns the daemon off: every one-shot command starts and stops its own host. */
  enabled: 'ASYNC_LESSONS_DAEMON',
  /** How long the daemon waits for another check before it exits (tests shorten it). */
  idleMs: 'ASYNC_LESSONS_DAEMON_IDLE_MS',
} as const;

/** Well inside "nothing of ours stays running after an idle minute", shutdown included. */
export const IDLE_MS = 45_000;

export type ToDaemon = { type: 'check'; target: CheckTarget; force: boolean };

/** A UserError or file-system error raised in the daemon, rebuilt on the client's side. */
export interface DaemonFailure {
  message: string;
  stack?: string;
  user?: { code: string; next: string | undefined; exitCode: number };
  errno?: { code: string; path?: string; syscall?: string };
}

export type FromDaemon =
  | { type: 'runtime'; verdict: Verdict }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'failed'; failure: DaemonFailure };

export const daemonIdleMs = (env: NodeJS.ProcessEnv): number => {
  const n = Number(env[DAEMON_ENV.idleMs]);
  return Number.isFinite(n) && n > 0 ? n : IDLE_MS;
};

/**
 * Where the daemon for this build, this workspace and these settings listens — or undefined when
 * no safe place exists (then every command checks on its own, as before). The folder is the
 * user's own (0700, not a link, owned by them): another user must not be able to answer our checks.
 */
export async function daemonAddress(learnerDir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (process.platform === 'win32' || env[DAEMON_ENV.enabled] === '0') return undefined;
  const uid = os.userInfo().uid;
  const dir = path.join(os.tmpdir(), `async-lessons-${uid}`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const info = await lstat(dir);
    if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  const socket = path.join(dir, `d-${daemonKey(learnerDir, env).slice(0, 16)}.sock`);
  // Unix socket paths are limited to ~104–108 bytes; a long TMPDIR leaves no room.
  return Buffer.byteLength(socket) <= 100 ? socket : undefined;
}

/** Settings that change what the CLI prints, never how a check runs: one daemon serves both. */
const UNSHAPING = new Set<string>([DAEMON_ENV.enabled, 'ASYNC_LESSONS_TRACE']);

/**
 * One daemon per build of the package, workspace, Node and setting that shapes a run: a rebuilt or
 * updated package, or another ASYNC_LESSONS_* setting, gets a daemon of its own (the old one idles out).
 */
function daemonKey(learnerDir: string, env: NodeJS.ProcessEnv): string {
  const root = packageInfo().root;
  let build = packageInfo().version;
  try {
    const s = statSync(path.join(root, 'dist', 'check-daemon.js'));
    build += `:${s.mtimeMs}:${s.size}`;
  } catch {
    // Running from source (tests): the version alone.
  }
  const settings = Object.entries(env).filter(([k]) => k.startsWith('ASYNC_LESSONS_') && !UNSHAPING.has(k)).sort();
  return createHash('sha256').update(JSON.stringify([root, build, path.resolve(learnerDir), process.version, process.execArgv, settings])).digest('hex');
}
