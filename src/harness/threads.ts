import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a TypeScript file as a worker thread. Node cannot run `.ts` in a worker by itself, and
 * loaders such as tsx spawn esbuild and write a cache, which the check engine's confinement
 * forbids; so a small boot file registers a module hook that strips types with TypeScript's own
 * `transpileModule` (pure JavaScript, no child process, no writes) and then imports the file.
 * The worker sees `workerData` exactly as given. The exercise must be allowed workers
 * (`allow = ["workers"]` in info.toml).
 *
 * @example const w = tsWorker(new URL('./crunch.ts', import.meta.url), { n: 40 });
 */
export function tsWorker(file: URL | string, workerData?: unknown, options: Omit<WorkerOptions, 'workerData' | 'argv'> = {}): Worker {
  const href = typeof file === 'string' ? new URL(file, 'file://').href : file.href;
  return new Worker(new URL('./ts-worker-boot.js', import.meta.url), { ...options, workerData, argv: [href] });
}
