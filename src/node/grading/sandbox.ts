import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { SpawnWrap } from '../engine/index.js';

/*
 * bubblewrap around each submission's check host: Node's permission model confines file reads and
 * writes of the test workers, but leaves the network and the rest of the system open. Inside bwrap
 * the host (and so every worker and the learner code in it) has no network (its own, empty network
 * namespace), sees only the system's programs and libraries, the package and its run area (all
 * read-only but the run area), gets a fresh tmpfs for /tmp, its own PID namespace (it can signal
 * nothing of the grader's) and dies with the grader.
 */

export type SandboxChoice = 'auto' | 'bwrap' | 'none';

export type Sandbox = { kind: 'bwrap'; wrap: SpawnWrap } | { kind: 'none'; why: string };

// What a Node program needs of the system, read-only; a path this machine lacks is skipped (-try).
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc/alternatives', '/etc/ld.so.cache', '/etc/localtime', '/etc/passwd', '/etc/group'];

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** The namespaces and mounts for a host whose only writable place is `writable` (its run area). */
export function bwrapArgs(o: { reads: readonly string[]; writable: string; node: string }): string[] {
  const ro = [...new Set([path.dirname(real(o.node)), ...o.reads.flatMap((p) => [path.resolve(p), real(p)])])];
  return [
    '--die-with-parent',
    '--new-session',
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...SYSTEM.flatMap((p) => ['--ro-bind-try', p, p]),
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    // /tmp first, so the package or run area beneath it are mounted over the empty tmpfs.
    '--tmpfs',
    '/tmp',
    ...ro.flatMap((p) => ['--ro-bind-try', p, p]),
    '--bind',
    real(o.writable),
    real(o.writable),
    ...(real(o.writable) === path.resolve(o.writable) ? [] : ['--bind', real(o.writable), path.resolve(o.writable)]),
    '--chdir',
    real(o.writable),
    '--',
  ];
}

/** Whether bwrap is here and can make the namespaces (a container may forbid them): undefined if so, else why not. */
export function probeBwrap(run: typeof spawnSync = spawnSync): string | undefined {
  const r = run('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-net', '--unshare-pid', '--die-with-parent', process.execPath, '-e', '0'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)' : `bwrap could not run (${r.error.message})`;
  if (r.status !== 0) return `bwrap cannot create namespaces here (${String(r.stderr).trim().split('\n')[0] || `exit ${r.status}`})`;
  return undefined;
}

/** The sandbox in force for `choice`; `bwrap` asked for and unavailable is the caller's error to raise. */
export function chooseSandbox(choice: SandboxChoice, probe: () => string | undefined = probeBwrap): Sandbox | { kind: 'unavailable'; why: string } {
  if (choice === 'none') return { kind: 'none', why: '--sandbox none' };
  const why = probe();
  if (why) return choice === 'bwrap' ? { kind: 'unavailable', why } : { kind: 'none', why };
  return { kind: 'bwrap', wrap: ({ areaRoot, reads }) => ({ file: 'bwrap', args: bwrapArgs({ reads, writable: areaRoot, node: process.execPath }) }) };
}
