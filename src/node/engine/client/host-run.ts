import path from 'node:path';
import type { Verdict } from '../../../core/verdict.js';
import type { RunEnd } from '../../../core/decide-verdict.js';
import { trace } from '../../trace.js';
import { DEFAULT_TIMEOUT_MS } from '../check-runner.js';
import { LiveWatch } from '../shared/live-watch.js';
import type { FromHost, HostEnd } from '../shared/protocol.js';
import { AREA_FILES } from '../shared/protocol.js';
import { HostDied, type HostClient } from './host-client.js';
import type { Closer } from './pinpoint.js';
import type { RunArea, Slot } from './run-area.js';
import { toVerdict } from './to-verdict.js';
import { TIMED_OUT, whileHeard } from './waits.js';

// The host says it is alive every second while it runs checks; this long without a word and its
// own loop has stopped, so its watchdog cannot act: the parent kills it. (A run's length is not a
// sign of trouble: a file of ten tests that each wait out a 5 s timeout takes 50 s, honestly.)
const HOST_SILENT_MS = 6000;
const UNFINISHED = 'unfinished: another exercise in the batch was stopped';

/** What a host run may ask of the runner that keeps the host. */
export interface HostKeeper {
  ensureHost(): Promise<HostClient>;
  nextId(): number;
  /** The host failed us: it goes (`died`: it already went by itself) and another one starts. */
  replace(host: HostClient, died: boolean): void;
  noteRun(run: { spareUsed: boolean; hostMs: number }): void;
}

/**
 * `single`: one exercise checked (bail at its first timeout); `closer`: a diagnostic re-run of
 * that one slot (pinpoint.ts); `onPassed`: a file passed while others still run.
 */
export interface RunHow {
  single?: boolean;
  closer?: Closer;
  onPassed?: (slot: Slot) => void;
}

/** One host run over `slots`; what the host cannot answer for becomes a diagnosed verdict. */
export async function runOnHost(keeper: HostKeeper, area: RunArea, slots: Slot[], how: RunHow = {}): Promise<Map<Slot, Verdict>> {
  const { single = false, closer, onPassed } = how;
  const trackPromisesOf = closer === 'track-promises' ? slots[0] : undefined;
  const probe = closer === 'probe-loops' ? slots.flatMap((s) => [...s.learnerFiles]) : undefined;
  // Workers read the table while setting up each file of this run, so this run's slots suffice.
  await area.writeTimeouts(slots, trackPromisesOf);
  const longest = Math.max(...slots.map((s) => s.exercise.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  let host: HostClient;
  try {
    host = await keeper.ensureHost();
  } catch (error) {
    if (!(error instanceof HostDied)) throw error;
    const how = `the check process could not start (${error.how}); save again to retry`;
    return new Map(slots.map((slot) => [slot, { exercise: slot.exercise.name, status: 'crashed', how, lastOutput: [], durationMs: 0, tests: [], console: [], warnings: [] } satisfies Verdict]));
  }
  const started = Date.now();
  const msg = {
    type: 'run' as const,
    id: keeper.nextId(),
    specs: slots.map((s) => s.testFile),
    changed: slots.flatMap((s) => s.changed),
    timeoutMs: longest,
    workers: slots.some((s) => s.exercise.allow.includes('workers')),
    // A learner waiting on one exercise needs its first never-settled test, not all of them;
    // batches (verify, dev check, grading) report every test.
    bail: single,
    ...(probe ? { probe } : {}),
  };
  let answer: FromHost | undefined;
  let end: RunEnd = { kind: 'finished' };
  const byFile = new Map(slots.map((s) => [s.testFile, s]));
  host.onModuleDone = (m) => {
    const slot = m.id === msg.id && m.passed ? byFile.get(m.file) : undefined;
    if (slot) onPassed?.(slot);
  };
  try {
    trace('run: sent');
    const reply = await whileHeard(host, host.request(msg), HOST_SILENT_MS);
    trace(`run: answered (host ${reply === TIMED_OUT ? '?' : 'ms' in reply ? reply.ms : '?'} ms)`);
    host.onModuleDone = undefined;
    answer = reply === TIMED_OUT ? undefined : reply;
  } catch (error) {
    if (!(error instanceof HostDied)) throw error;
    end = { kind: 'crashed', how: `the check process died (${error.how}); it has been restarted`, output: host.lastOutput() };
    keeper.replace(host, true);
  }
  if (!answer && end.kind === 'finished') {
    // The host itself stopped answering (its watchdog could not free the worker): kill its
    // whole process group, and name the test from the worker's own marker file.
    const watch = new LiveWatch(path.join(area.root, AREA_FILES.live));
    await watch.poll();
    const stuck = watch.stuck(() => 0, 0, 0);
    keeper.replace(host, false);
    end = { kind: 'blocked', afterMs: Date.now() - started, test: stuck?.test, loading: stuck?.loading };
  }
  const result = answer?.type === 'result' ? answer : undefined;
  if (result) keeper.noteRun({ spareUsed: result.spareUsed, hostMs: result.ms });
  if (answer?.type === 'error') throw new Error(`check host error: ${answer.message}`);
  return slotVerdicts(area, slots, result, end, started);
}

/** Each slot's verdict from one run's result (or from how the run ended, when there is none). */
function slotVerdicts(area: RunArea, slots: Slot[], result: Extract<FromHost, { type: 'result' }> | undefined, end: RunEnd, started: number): Map<Slot, Verdict> {
  const out = new Map<Slot, Verdict>();
  // A run the host cancelled for one blocked slot leaves others half-run: they are re-run alone
  // (checkMany), never judged on what the cancel left behind.
  const blockedFile = result?.end.kind === 'blocked' ? result.end.file : undefined;
  for (const slot of slots) {
    const mod = result?.report.modules.find((m) => m.file === slot.testFile);
    const finished = mod && (mod.state === 'passed' || mod.state === 'failed') && mod.tests.every((t) => t.state === 'passed' || t.state === 'failed');
    if (blockedFile !== undefined && slot.testFile !== blockedFile && slots.length > 1 && !finished) {
      out.set(slot, { exercise: slot.exercise.name, status: 'failed', code: 'unfinished', reason: UNFINISHED, durationMs: 0, tests: [], console: [], warnings: [] });
      continue;
    }
    const hostEnd: HostEnd | undefined = result?.end;
    const slotEnd: RunEnd = hostEnd?.kind === 'blocked' && hostEnd.file === slot.testFile ? { kind: 'blocked', afterMs: hostEnd.afterMs, test: hostEnd.test, loading: hostEnd.loading } : end;
    out.set(slot, toVerdict({ slot, areaRoot: area.root, report: result?.report, events: result?.events ?? [], end: slotEnd, single: slots.length === 1, durationMs: result?.ms ?? Date.now() - started }));
  }
  return out;
}
