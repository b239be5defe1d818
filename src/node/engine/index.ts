// The check engine's one entry: the CLI, the commands and (soon) grading import from here, never a
// module inside. What runs where:
// - this process (the CLI or TUI): engine-runner.ts (the policy: placement, batching, verdicts),
//   host-run.ts (one run on the host, and what its answer means for each slot),
//   host-client.ts (the handle on the host), types-client.ts + types-thread.ts (the type checker);
//   daemon-runner.ts (one-shot `run`: asks a warm engine daemon, ../daemon/daemon.ts, kept for an idle spell);
// - the check host, a child process: host.ts, prewarm-pool.ts, confine.ts (vitest, warm);
// - the test workers, confined forks of the host: ../check/setup.ts, guard.ts (learner code).
// protocol.ts is what crosses between them.
export { EngineRunner } from './client/engine-runner.js';
export { DaemonRunner } from './client/daemon-runner.js';
export { SharedTypes } from './client/types-client.js';
export type { SpawnWrap } from './client/host-client.js';
export { killAllHosts } from './client/host-client.js';
export { DEFAULT_TIMEOUT_MS, type CheckOptions, type CheckRunner, type CheckTarget } from './check-runner.js';
