import type { LiveEvent, RawReport } from './raw-report.js';
import type { TypeDiagnostic } from '../../../core/verdict.js';

/**
 * Names shared by the three processes (CLI, check host, test worker), defined once. The run area's
 * files: the workers' live event stream (live.jsonl, see LiveEvent) and the per-file timeout
 * table; the variables that tell a worker where they are. (The harness, which stands apart,
 * spells ENV.live out itself: harness/busy.ts.)
 */
export const AREA_FILES = { live: 'live.jsonl', timeouts: 'timeouts.json' } as const;
export const ENV = { live: 'ASYNC_LESSONS_LIVE', timeouts: 'ASYNC_LESSONS_TIMEOUTS' } as const;

/** A file given to the type checker: where it is, how to show it, and whether the learner owns it. */
export interface TypeFile {
  path: string;
  display: string;
  content: string;
  learner: boolean;
  fixture: boolean;
}

export type ToHost =
  /** `warm`: watch mode (warm up, keep a spare worker); false for one-shot commands. */
  | { type: 'init'; areaRoot: string; setupFile: string; reads: string[]; guard: string; heapMb: number; maxWorkers: number; warm: boolean }
  /**
   * `bail`: stop the run at the first test that times out (one exercise checked: its verdict is known).
   * `probe`: learner files to transform with loop probes, for a diagnostic re-run of a blocked check.
   */
  | { type: 'run'; id: number; specs: string[]; changed: string[]; timeoutMs: number; workers: boolean; bail: boolean; probe?: string[] }
  | { type: 'cancel'; id: number }
  | { type: 'shutdown' };

export type HostEnd =
  | { kind: 'finished' }
  | { kind: 'blocked'; afterMs: number; test: string | undefined; loading: boolean; file: string };

export type FromHost =
  | { type: 'ready'; warmupMs: number }
  /** Sent every second while a run goes on: the host's own loop turns, so its watchdog is awake. */
  | { type: 'alive'; id: number }
  /** A test file of the run finished (before the run's result): its type check can start now. */
  | { type: 'module-done'; id: number; file: string; passed: boolean }
  | { type: 'result'; id: number; report: RawReport; events: LiveEvent[]; end: HostEnd; spareUsed: boolean; ms: number }
  | { type: 'error'; id: number | undefined; message: string };

/** The key of the timeouts table naming the one check file whose promises a diagnostic re-run tracks. */
export const TRACK_PROMISES_KEY = '!track-promises';

/** The global a diagnostic re-run's loop probes call (host/spin-probe.ts inserts, worker/setup.ts defines). */
export const SPIN_PROBE = '__asyncLessonsSpin';
