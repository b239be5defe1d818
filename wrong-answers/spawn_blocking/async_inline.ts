// @rejects the job ran on the event loop's own thread
// Mistake: defers the job with setImmediate, as if running it "later" moved it off the thread.
import type { Worker } from 'node:worker_threads';
import { type JobName, runJob } from './spawn_blocking_jobs';

export type StartWorker = () => Worker;

export class BlockingPool {
  readonly size: number;
  private readonly startWorker: StartWorker;

  constructor(startWorker: StartWorker, size = 2) {
    this.startWorker = startWorker;
    this.size = size;
  }

  run<R>(job: JobName, args: unknown[] = []): Promise<R> {
    return new Promise<R>((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(runJob(job, args) as R);
        } catch (error) {
          reject(error);
        }
      }),
    );
  }

  async close(): Promise<void> {}
}

export function hashAll(pwds: string[], pool: BlockingPool, costMs: number): Promise<string[]> {
  return Promise.all(pwds.map((pwd) => pool.run<string>('slowHash', [pwd, costMs])));
}
