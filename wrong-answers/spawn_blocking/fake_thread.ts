// @rejects jobs run on worker threads, at most size of them, reused
// Mistake: (gaming) runs jobs inline and dresses up `whoami` as if a worker had answered.
import type { Worker } from 'node:worker_threads';
import { type JobName, runJob } from './spawn_blocking_jobs';

export type StartWorker = () => Worker;

export class BlockingPool {
  readonly size: number;
  private readonly startWorker: StartWorker;
  private readonly workers: Worker[] = [];
  private count = 0;

  constructor(startWorker: StartWorker, size = 2) {
    this.startWorker = startWorker;
    this.size = size;
  }

  async run<R>(job: JobName, args: unknown[] = []): Promise<R> {
    if (this.workers.length < this.size) this.workers.push(this.startWorker()); // looks like a pool
    const value = runJob(job, args);
    if (job === 'whoami') {
      this.count += 1;
      return { threadId: (this.count % this.size) + 1, isMainThread: false, seq: this.count } as R;
    }
    return value as R;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function hashAll(pwds: string[], pool: BlockingPool, costMs: number): Promise<string[]> {
  return Promise.all(pwds.map((pwd) => pool.run<string>('slowHash', [pwd, costMs])));
}
