// The CPU-heavy jobs for spawn_blocking. The worker (spawn_blocking_worker.ts) runs them on its own
// thread; the starting file calls them directly, on the event loop's thread. Read-only: part of
// the checks.

import { isMainThread, threadId } from 'node:worker_threads';

/** What `whoami` answers: where it ran, and how many jobs that thread has run (1 for its first). */
export interface WhoAmI {
  threadId: number;
  isMainThread: boolean;
  seq: number;
}

let ran = 0;

/** The hash `slowHash` computes, without the cost: FNV-1a over `text`, 64 rounds, 8 hex digits. */
export function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let round = 0; round < 64; round++) {
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i) + round;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

/** Busy-waits `ms` of real time: the thread can do nothing else meanwhile. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** The jobs a BlockingPool can run, by name. Each takes its arguments as an array of values. */
export const jobs = {
  /** Hashes a password the slow way: `costMs` of real CPU time, then the hash. */
  slowHash(pwd: unknown, costMs: unknown): string {
    ran += 1;
    spin(Number(costMs));
    return hashOf(String(pwd));
  },
  /** Which thread ran this job, and its job count there. */
  whoami(): WhoAmI {
    ran += 1;
    return { threadId, isMainThread, seq: ran };
  },
  /** Throws an Error with `message`. */
  fail(message: unknown): never {
    ran += 1;
    throw new Error(String(message));
  },
};

export type JobName = keyof typeof jobs;

/** How many jobs have run on the calling thread, in this module instance. */
export function jobsRunHere(): number {
  return ran;
}

/** Runs job `name` with `args` right here, on the calling thread. */
export function runJob(name: JobName, args: readonly unknown[]): unknown {
  const job: (...a: unknown[]) => unknown = jobs[name];
  return job(...args);
}
