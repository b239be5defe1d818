// The helpers course checks import as `async-lessons/harness`. They ship compiled in dist/harness so
// that checks can import them from any run directory, and as .d.ts so a learner's editor can read them.
import { SpinDetected as SpinDetectedClass } from './errors.js';
import { TestExecutor as TestExecutorClass } from './executor.js';
import { VirtualReactor as VirtualReactorClass } from './reactor.js';
import { FakeSocket as FakeSocketClass } from './socket.js';
import { Sleep as SleepClass } from './sleep.js';
import { classTargets, watchHarnessObjects } from './self-watch.js';
export { seeded, SEEDS, type Rng } from './seeded.js';
export { END, Pending, Ready, type Context, type Future, type Output, type Poll, type Stream, type Waker, type WakerHolder } from './types.js';
export { sameWaker, unwrapWaker } from './wakers.js';
export { SpinDetected, type SpinInfo } from './errors.js';
export { counted, pollNextWith, pollWith, spyWaker, type Counted, type CountedOptions, type SpyWaker } from './spy.js';
export { VirtualReactor, type Registration, type TimerId } from './reactor.js';
export { FakeSocket, WOULD_BLOCK } from './socket.js';
export { Sleep, sleep, sleepUntil } from './sleep.js';
export {
  DEFAULT_MAX_POLLS,
  TestExecutor,
  type PollEvent,
  type RunOptions,
  type TestExecutorOptions,
} from './executor.js';
export type { TaskHandle, TaskState } from './task.js';
export { banned, scan, scanSource, type Ban, type Finding } from './ast.js';
export { expectBusy } from './busy.js';
export { measureBlocking, type BlockingReport } from './loop.js';
export {
  AWAIT,
  awaitPoint,
  describeOutcome,
  explore,
  until,
  type AwaitStep,
  type Exploration,
  type ExploreOptions,
  type Outcome,
  type Step,
  type TaskFn,
  type UntilStep,
} from './explore.js';
export { tsWorker } from './threads.js';
export { keepsAlive, reachable, type Reach, type ReachOptions } from './reachable.js';
export { collected, forceGc, retainedAfter, type Retention } from './gc.js';
export { pristine, type Pristine, type PristineArray, type PristineMap, type PristinePromise, type PristineSet } from './pristine.js';

// Every export is evaluated by now: record the harness's classes for the engine's guard (self-watch.ts).
watchHarnessObjects(
  classTargets({ TestExecutor: TestExecutorClass, VirtualReactor: VirtualReactorClass, FakeSocket: FakeSocketClass, Sleep: SleepClass, SpinDetected: SpinDetectedClass }),
);
