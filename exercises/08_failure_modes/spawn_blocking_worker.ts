// The worker thread for spawn_blocking: runs one job per message and replies. Read-only: part of the
// checks. Started with the harness's tsWorker (the checks hand BlockingPool a function that does it).
//
// Protocol:
//   request  (pool → worker): { id: number, job: JobName, args: unknown[] }
//   reply    (worker → pool): { id, ok: true, value } or { id, ok: false, message: string }
// Jobs run one at a time, in the order their messages arrive.

import { parentPort } from 'node:worker_threads';
import { type JobName, runJob } from './spawn_blocking_jobs';

const port = parentPort;
if (port === null) throw new Error('spawn_blocking_worker.ts runs as a worker thread, not as a module of the main thread');

port.on('message', (msg: { id: number; job: JobName; args: unknown[] }) => {
  try {
    port.postMessage({ id: msg.id, ok: true, value: runJob(msg.job, msg.args) });
  } catch (error) {
    port.postMessage({ id: msg.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
