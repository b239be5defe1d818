import { stripVTControlCharacters as stripAnsi } from 'node:util';
import path from 'node:path';
import { decideRun, type ModuleFailure, type RunEnd, type RunFacts } from '../../../core/decide-verdict.js';
import { capLines, codeFrame, type CodeFrame, type TestResult, type Verdict } from '../../../core/verdict.js';
import { consoleTextLines, type LiveEvent, type RawError, type RawModule, type RawReport } from '../shared/raw-report.js';
import type { Slot } from './run-area.js';

/** The best place to show for an error: the learner's own file first, then the check. */
export function frameFor(slot: Slot, error: RawError | undefined): CodeFrame | undefined {
  if (!error) return undefined;
  const stacks = error.stacks.filter((s) => slot.sources.has(s.file));
  const best = stacks.find((s) => slot.learnerFiles.has(s.file)) ?? stacks[0];
  if (!best) return undefined;
  return codeFrame(slot.display.get(best.file) ?? best.file, slot.sources.get(best.file)!, best.line, best.column);
}

function testResults(slot: Slot, mod: RawModule | undefined): TestResult[] {
  return (mod?.tests ?? []).map((t) => {
    const first = t.errors[0];
    const result: TestResult = { name: t.name, state: t.state, durationMs: t.durationMs };
    if (first) {
      result.message = stripAnsi(first.message);
      if (first.expected !== undefined) result.expected = first.expected;
      if (first.actual !== undefined) result.actual = first.actual;
      if (first.diff !== undefined) result.diff = stripAnsi(first.diff);
      const frame = frameFor(slot, first);
      if (frame) result.frame = frame;
    }
    return result;
  });
}

/**
 * The slot file a location in a transform error names. Vite prints it relative to the host's
 * working directory (the learner's workspace, not the run folder), so match by path suffix.
 */
function sourceAt(slot: Slot, areaRoot: string, shown: string): string | undefined {
  const exact = path.resolve(areaRoot, shown);
  if (slot.sources.has(exact)) return exact;
  const tail = shown.replace(/\\/g, '/').replace(/^(?:\.\.?\/)+/, '');
  let best: string | undefined;
  for (const file of slot.sources.keys()) {
    if ((file === tail || file.endsWith(`/${tail}`)) && (best === undefined || file.length < best.length)) best = file;
  }
  return best;
}

/**
 * A syntax error: vite/oxc's `[PARSE_ERROR] Expected … ╭─[ ../runs/…/x.ts:1:29 ]`, or V8's own
 * SyntaxError while compiling the transformed module (no location then: the engine finds one).
 */
function compileError(slot: Slot, areaRoot: string, error: RawError): { message: string; frame?: CodeFrame } | undefined {
  const text = stripAnsi(error.message);
  const v8Syntax = error.name === 'SyntaxError' && !error.stacks.some((s) => slot.learnerFiles.has(s.file));
  if (!/Transform failed|PARSE_ERROR|Parse fail/.test(text) && !v8Syntax) return undefined;
  const detail =
    /\[(?:PARSE_ERROR|SYNTAX_ERROR)\]\s*(?:Error:\s*)?(.+)/.exec(text)?.[1] ??
    /Parse failed with \d+ errors?:\s*\n(.+)/.exec(text)?.[1] ??
    text.split('\n').find((l) => l.trim().length > 0 && !/^Transform failed/.test(l)) ??
    text;
  const loc = /([\w./@-]+\.(?:ts|tsx|mts|js|mjs)):(\d+):(\d+)/.exec(text);
  const abs = loc ? sourceAt(slot, areaRoot, loc[1]!) : undefined;
  const source = abs === undefined ? undefined : slot.sources.get(abs);
  const frame = source === undefined || !loc ? undefined : codeFrame(slot.display.get(abs!) ?? abs!, source, Number(loc[2]), Number(loc[3]));
  return frame ? { message: detail.trim(), frame } : { message: detail.trim() };
}

export function consoleFor(slot: Slot, events: LiveEvent[], single: boolean): string[] {
  const lines: string[] = [];
  let dropped = 0;
  for (const e of events) {
    if (e.event !== 'console') continue;
    if (e.file !== slot.testFile && !(single && e.file === undefined)) continue;
    dropped += e.dropped ?? 0;
    // One event can hold thousands of lines: no spread into push (it overflows the stack).
    for (const line of consoleTextLines(e.text)) lines.push(line);
  }
  return capLines(lines, undefined, dropped);
}

interface MapInput {
  slot: Slot;
  areaRoot: string;
  report: RawReport | undefined;
  events: LiveEvent[];
  end: RunEnd;
  single: boolean;
  durationMs: number;
}

const WORKER_DIED_RE = /Worker .* (emitted error|exited unexpectedly)|\[vitest-pool\]/;

/** What vitest reported for one slot, as the facts the verdict decision (core) takes. */
export function runFacts(input: MapInput): RunFacts {
  const { slot, report } = input;
  const mod = report?.modules.find((m) => m.file === slot.testFile);
  const unhandled = (report?.unhandled ?? []).filter((u) => (u.testPath === undefined ? input.single : u.testPath === slot.testFile));
  const open = input.events.find((e) => e.event === 'open-handles' && e.file === slot.testFile);
  const moduleError = mod?.errors[0];
  return {
    exercise: slot.exercise.name,
    durationMs: input.durationMs,
    tests: testResults(slot, mod),
    console: consoleFor(slot, input.events, input.single),
    end: input.end,
    reported: mod !== undefined,
    ...(moduleError ? { moduleFailure: moduleFailure(slot, input.areaRoot, moduleError) } : {}),
    unhandled: unhandled.map((u) => {
      const frame = frameFor(slot, u);
      const message = stripAnsi(u.message);
      return { message, workerDied: WORKER_DIED_RE.test(u.message), ...(u.type ? { type: u.type } : {}), ...(u.testName ? { testName: u.testName } : {}), ...(frame ? { frame } : {}) };
    }),
    ...(open && open.event === 'open-handles' ? { openHandles: open.name } : {}),
    ...pendingSites(slot, input.events),
    ...spinSite(slot, input.events),
    ...timelineOf(slot, input.events),
  };
}

/** The harness's trace of the first failed test that has one. */
function timelineOf(slot: Slot, events: LiveEvent[]): Pick<RunFacts, 'timeline'> {
  const e = events.find((x): x is Extract<LiveEvent, { event: 'timeline' }> => x.event === 'timeline' && x.file === slot.testFile);
  return e ? { timeline: { test: e.name, timeline: e.timeline } } : {};
}

/** The loop a blocked diagnostic re-run spun in: the site its probes named most in their last second. */
function spinSite(slot: Slot, events: LiveEvent[]): Pick<RunFacts, 'spin'> {
  const spins = events.filter((e): e is Extract<LiveEvent, { event: 'spin' }> => e.event === 'spin' && slot.sources.has(e.site.file));
  const last = spins.at(-1);
  if (!last) return {};
  const counts = new Map<string, { n: number; site: (typeof last)['site'] }>();
  for (const e of spins.filter((x) => x.at > last.at - 1000)) {
    const key = `${e.site.file}:${e.site.line}`;
    counts.set(key, { n: (counts.get(key)?.n ?? 0) + 1, site: e.site });
  }
  const { site } = [...counts.values()].sort((a, b) => b.n - a.n)[0]!;
  return { spin: { fn: site.fn, frame: codeFrame(slot.display.get(site.file) ?? site.file, slot.sources.get(site.file)!, site.line, site.column) } };
}

/** A diagnostic re-run's report of pending promises, as frames of the learner's files. */
function pendingSites(slot: Slot, events: LiveEvent[]): Pick<RunFacts, 'pending'> {
  const e = events.find((x) => x.event === 'pending-promises' && x.file === slot.testFile);
  if (!e || e.event !== 'pending-promises') return {};
  const sites = e.sites.filter((s) => slot.sources.has(s.file)).map((s) => codeFrame(slot.display.get(s.file) ?? s.file, slot.sources.get(s.file)!, s.line, s.column));
  return sites.length > 0 ? { pending: { test: e.name, sites } } : {};
}

function moduleFailure(slot: Slot, areaRoot: string, error: RawError): ModuleFailure {
  const compile = compileError(slot, areaRoot, error);
  if (compile) return { kind: 'syntax', ...compile };
  const message = stripAnsi(error.message);
  const frame = frameFor(slot, error);
  const kind = /process\.exit unexpectedly called/.test(message) ? 'exit' : 'threw';
  return frame ? { kind, message, frame } : { kind, message };
}

/** Turns what vitest reported for one slot into its runtime Verdict. */
export const toVerdict = (input: MapInput): Verdict => decideRun(runFacts(input));
