// Loaded into every test worker before each check file (bundled to dist/check-setup.js).
// - A test that blocks the event loop never lets an asynchronous message out, so the worker itself
//   records, synchronously, which test is about to run; the watchdog reads it to name the test.
// - testTimeout is per exercise (info.toml), but one vitest run serves many exercises: the timeout
//   for this file is set here, before the file's tests are defined.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
// Captured now, before any test can install fake timers over the globals.
import { clearInterval as realClearInterval, setInterval as realSetInterval } from 'node:timers';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import { keepGlobalsPristine } from './pristine-globals.js';
import { ENV, SPIN_PROBE, TRACK_PROMISES_KEY } from '../shared/protocol.js';
import { trackPromises } from './promise-tracker.js';
import { mergeTraces, type Timeline } from '../../../core/timeline.js';

keepGlobalsPristine();

const live = process.env[ENV.live];
// Fake timers replace Date too; markers carry the real time.
const realNow = Date.now;
const testPath = expect.getState().testPath;

/** This file's row of the run's timeouts table (run-area.ts): its timeout, and whether to track promises. */
function settingsFor(file: string | undefined): { timeout?: number; track: boolean } {
  const table = process.env[ENV.timeouts];
  if (table === undefined || file === undefined) return { track: false };
  try {
    const map = JSON.parse(readFileSync(table, 'utf8')) as Record<string, number | string>;
    const timeout = map[file] ?? map['*'];
    return { ...(typeof timeout === 'number' ? { timeout } : {}), track: map[TRACK_PROMISES_KEY] === file };
  } catch {
    return { track: false };
  }
}

const settings = settingsFor(testPath);
const timeout = settings.timeout;
// Set it every time: with isolate:false the previous file's value would otherwise carry over.
if (timeout !== undefined) vi.setConfig({ testTimeout: timeout, hookTimeout: timeout });

// A diagnostic re-run of a never-settled check: note where each pending promise was made. The
// learner's files are the check's neighbours (the course library lives in ../_lib, apart).
const tracker =
  settings.track && testPath !== undefined
    ? trackPromises((f) => path.dirname(f) === path.dirname(testPath) && f !== testPath && !/\.(test|types)\.tsx?$/.test(f))
    : undefined;

function mark(event: 'test-start' | 'test-end' | 'open-handles' | 'beat' | 'pending-promises' | 'spin' | 'timeline', file: string | undefined, name?: string, more?: object): void {
  if (live === undefined || file === undefined) return;
  try {
    appendFileSync(live, `${JSON.stringify({ event, file, name, at: realNow(), ...more })}\n`);
  } catch {
    // Without the marker the watchdog still fires; it just cannot name the test.
  }
}

// The loop probes of a diagnostic re-run of a blocked check (host/spin-probe.ts) call this at the
// top of every loop body: now and then it says which loop the worker is in, the only way to learn
// it while the loop keeps the worker from answering anything else.
let spins = 0;
let spunAt = 0;
Object.defineProperty(globalThis, SPIN_PROBE, {
  value: (file: string, line: number, column: number, fn: string) => {
    if ((++spins & 0x3fff) !== 0) return;
    const now = realNow();
    if (now - spunAt < 100) return;
    spunAt = now;
    mark('spin', testPath, undefined, { site: { file, line, column, fn } });
  },
  configurable: true,
});

// Timers and sockets the learner's code left running after every test finished: counted against
// what was alive before the file started (the worker's own IPC pipe and such).
const WATCHED = new Set(['Timeout', 'Immediate', 'TCPSocketWrap', 'TCPServerWrap', 'UDPWrap', 'PipeServerWrap']);
const census = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (WATCHED.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
};
let before = new Map<string, number>();
beforeAll(() => {
  before = census();
});
afterAll(() => {
  const extra = [...census()].filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => `${kind} ×${n - (before.get(kind) ?? 0)}`);
  if (extra.length > 0) mark('open-handles', testPath, extra.join(', '));
});

// From this file's setup until its last hook, a beat every 250 ms proves its event loop still turns:
// the watchdog calls the file blocked when the beats stop (live-watch.ts), long before any timeout.
// It starts here, before the learner's module is imported, so a loop at top level is caught as
// fast as one inside a test.
const beat = testPath !== undefined && live !== undefined ? realSetInterval(() => mark('beat', testPath), 250) : undefined;
beat?.unref();
mark('beat', testPath);
afterAll(() => {
  if (beat !== undefined) realClearInterval(beat);
});
// The harness's executors keep a trace of each test (harness/timeline.ts): cleared when a test
// starts, sent with a test that failed, for the verdict's timeline.
const TRACES = Symbol.for('async-lessons.traces');
/** The registry also counts the tasks of traces it pushed out past its cap (harness/timeline.ts). */
type Traces = { [TRACES]?: Timeline[] & { notShown?: number } };

beforeEach((ctx) => {
  (globalThis as Traces)[TRACES] = [];
  tracker?.testStarted();
  mark('test-start', ctx.task.file?.filepath, ctx.task.fullTestName ?? ctx.task.name);
});
afterEach((ctx) => {
  const name = ctx.task.fullTestName ?? ctx.task.name;
  const list = (globalThis as Traces)[TRACES] ?? [];
  const traced = ctx.task.result?.state === 'fail' ? mergeTraces(list, list.notShown ?? 0) : undefined;
  if (traced) mark('timeline', ctx.task.file?.filepath, name, { timeline: traced });
  if (tracker && ctx.task.result?.state === 'fail') {
    const { sites, count } = tracker.stillPending();
    if (sites.length > 0) mark('pending-promises', ctx.task.file?.filepath, name, { sites, count });
  }
  mark('test-end', ctx.task.file?.filepath, name);
});
afterAll(() => tracker?.stop());
