// spawn_blocking, solved: a small worker-thread pool with a FIFO queue.
//
// Rust equivalent: tokio's blocking pool behind `tokio::task::spawn_blocking`, which also starts
// threads on demand up to a limit and queues work beyond it.

import type { Worker } from 'node:worker_threads';
import type { JobName } from './spawn_blocking_jobs';

/** Starts one worker thread running spawn_blocking_worker.ts. */
export type StartWorker = () => Worker;

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

interface Job {
  id: number;
  job: JobName;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class BlockingPool {
  readonly size: number;
  private readonly startWorker: StartWorker;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<number, Job>();
  private nextId = 1;

  constructor(startWorker: StartWorker, size = 2) {
    this.startWorker = startWorker;
    this.size = size;
  }

  /** Runs `job(...args)` off the event loop's thread; resolves with what it returned. */
  run<R>(job: JobName, args: unknown[] = []): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, args, resolve: (v) => resolve(v as R), reject });
      this.dispatch();
    });
  }

  /** Ends every worker; resolves once all have exited. */
  async close(): Promise<void> {
    const all = this.workers.splice(0);
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  // Hands queued jobs to idle workers, starting a new worker while there are fewer than `size`.
  private dispatch(): void {
    while (this.queue.length > 0 && (this.idle.length > 0 || this.workers.length < this.size)) {
      const worker = this.idle.shift() ?? this.spawn();
      const next = this.queue.shift() as Job; // the loop condition says there is one
      this.running.set(next.id, next);
      worker.postMessage({ id: next.id, job: next.job, args: next.args });
    }
  }

  private spawn(): Worker {
    const worker = this.startWorker();
    this.workers.push(worker);
    worker.on('message', (reply: Reply) => {
      const job = this.running.get(reply.id);
      this.running.delete(reply.id);
      if (reply.ok) job?.resolve(reply.value);
      else job?.reject(new Error(reply.message));
      this.idle.push(worker);
      this.dispatch();
    });
    return worker;
  }
}

/** Hashes every password on the pool, in order. */
export function hashAll(pwds: string[], pool: BlockingPool, costMs: number): Promise<string[]> {
  return Promise.all(pwds.map((pwd) => pool.run<string>('slowHash', [pwd, costMs])));
}
