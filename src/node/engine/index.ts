// The check engine's one entry: the CLI, the commands and (soon) grading import from here, never a
// module inside. What runs where:
// - this process (the CLI or TUI): engine-runner.ts (the policy: placement, batching, verdicts),
//   host-client.ts (the handle on the host), types-client.ts + types-thread.ts (the type checker);
// - the check host, a child process: host.ts, prewarm-pool.ts, confine.ts (vitest, warm);
// - the test workers, confined forks of the host: ../check/setup.ts, guard.ts (learner code).
// protocol.ts is what crosses between them.
export { EngineRunner } from './engine-runner.js';
export { killAllHosts } from './host-client.js';
export type { CheckOptions, CheckRunner, CheckTarget } from '../check/check-runner.js';
