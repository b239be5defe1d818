// spawn_blocking: send the CPU-heavy work to another thread.
//
// The chapter: "…if you call a blocking function from an async context…"
// CPU work blocks just as a blocking read does. `hashAll` hashes passwords;
// each `slowHash` spins the CPU for `costMs`. `BlockingPool.run` below calls
// the job right here, on the event loop's thread, so while four 300 ms hashes
// run, nothing else in the program runs for 1.2 s. Marking `run` async does
// not help: the job still runs on this thread.
//
// Task: make `BlockingPool` run each job on a worker thread.
//   - `startWorker()` (given to the constructor) starts one worker running
//     spawn_blocking_worker.ts and returns its `Worker`. Read that file for
//     the messages: post `{ id, job, args }`, and the worker replies
//     `{ id, ok: true, value }` or `{ id, ok: false, message }`;
//   - start workers only when there is a job for them, never more than
//     `size`, and reuse them: a worker that has replied takes the next job;
//   - jobs wait in a queue, first in, first out, while every worker is busy;
//   - `run` resolves with the reply's value, or rejects with
//     `new Error(message)` when the job threw (the pool keeps working);
//   - `close()` ends every worker (`worker.terminate()`) and resolves once
//     they have all exited. The checks call it when no job is left.
//
// TODO: start workers lazily, up to `size`, and send them jobs.
// TODO: queue jobs while every worker is busy; match replies by id.
// TODO: close() terminates the workers.
//
// Rust equivalent: `tokio::task::spawn_blocking(move || hash(&pwd)).await?`
// runs the closure on tokio's blocking thread pool; rayon (`rayon::spawn`,
// `par_iter`) for CPU parallelism; `block_in_place` on a multi-threaded
// runtime.

import type { Worker } from 'node:worker_threads';
import { type JobName, runJob } from './spawn_blocking_jobs';

/** Starts one worker thread running spawn_blocking_worker.ts. */
export type StartWorker = () => Worker;

export class BlockingPool {
  readonly size: number;
  private readonly startWorker: StartWorker;

  constructor(startWorker: StartWorker, size = 2) {
    this.startWorker = startWorker;
    this.size = size;
  }

  /** Runs `job(...args)` off the event loop's thread; resolves with what it returned. */
  async run<R>(job: JobName, args: unknown[] = []): Promise<R> {
    return runJob(job, args) as R;
  }

  /** Ends every worker; resolves once all have exited. */
  async close(): Promise<void> {}
}

/** Hashes every password on the pool, in order. */
export function hashAll(pwds: string[], pool: BlockingPool, costMs: number): Promise<string[]> {
  return Promise.all(pwds.map((pwd) => pool.run<string>('slowHash', [pwd, costMs])));
}
