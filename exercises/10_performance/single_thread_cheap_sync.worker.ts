// Runs in a worker thread for single_thread_cheap_sync's checks: waits at a start line shared with
// the other workers (so they really run at the same time), then calls your addMany.
import { parentPort, workerData } from 'node:worker_threads';
import { addMany } from './single_thread_cheap_sync';

const { buffer, n, workers } = workerData as { buffer: SharedArrayBuffer; n: number; workers: number };
const counter = new Int32Array(buffer);
// counter[1] counts the workers at the start line; counter[0] is the one addMany works on.
Atomics.add(counter, 1, 1);
while (Atomics.load(counter, 1) < workers) Atomics.wait(counter, 1, Atomics.load(counter, 1), 5);
addMany(counter, 0, n);
parentPort?.postMessage('done');
