// The first module a tsWorker runs: registers the type-stripping hook, then loads the real file
// (its URL arrives as the first argv entry, so workerData stays the caller's own).
import { register } from 'node:module';

register(new URL('./ts-loader.js', import.meta.url));
const target = process.argv[2];
if (target === undefined) throw new Error('tsWorker: no file to run');
await import(target);
