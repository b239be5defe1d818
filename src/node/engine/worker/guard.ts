// Preloaded (--require) into every test worker, bundled to dist/check-guard.cjs. Node's permission
// model leaves signals open, so learner code could kill the runner (process.kill(process.ppid)).
// Only signals to the worker itself are let through.
const realKill = process.kill.bind(process);

process.kill = function kill(pid: number, signal?: string | number): true {
  if (Number(pid) !== process.pid) {
    const error = new Error(`process.kill(${pid}) refused: exercise code may only signal its own process`) as Error & { code: string };
    error.code = 'ERR_ACCESS_DENIED';
    throw error;
  }
  return realKill(pid, signal);
} as typeof process.kill;
