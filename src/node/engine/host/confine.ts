import { realpathSync } from 'node:fs';
import path from 'node:path';

/*
 * Confinement for the test workers (not the host): Node's permission model, a heap cap, and a
 * preloaded guard on process.kill. It protects against accidents and casual cheating — reading
 * other files, writing, spawning, killing the runner — not against hostile code (see README).
 * Node 20 spells the switch --experimental-permission; newer Node, --permission.
 */
export interface Confinement {
  /** Folders and files the worker may read: the package, its dependencies, the run area. */
  reads: string[];
  /** Files the worker may write: only the live marker file. */
  writes: string[];
  workers: boolean;
  heapMb: number;
  guard: string;
}

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

export function permissionFlag(flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): string | undefined {
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  return undefined;
}

export function workerExecArgv(c: Confinement): string[] {
  const flag = permissionFlag();
  const args = [`--max-old-space-size=${c.heapMb}`, '--require', c.guard];
  if (!flag) return args;
  // Each path both as given and resolved: Node checks the path a module is opened by.
  const reads = [...new Set(c.reads.flatMap((p) => [path.resolve(p), real(p)]))];
  return [
    ...args,
    flag,
    '--disable-warning=ExperimentalWarning',
    ...reads.map((p) => `--allow-fs-read=${p}`),
    ...c.writes.map((p) => `--allow-fs-write=${p}`),
    ...(c.workers ? ['--allow-worker'] : []),
  ];
}
