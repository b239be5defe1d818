import type { Timeline } from '../../../core/timeline.js';
import type { TestModule, TestCase } from 'vitest/node';

/**
 * What a vitest run produced, reduced to plain JSON. The cold runner's reporter writes it to a file;
 * the warm host (check engine) builds the same shape from the Node API, so one mapper turns both
 * into a Verdict.
 */
export interface RawError {
  name?: string;
  message: string;
  stack?: string;
  stacks: Array<{ file: string; line: number; column: number; method?: string }>;
  expected?: string;
  actual?: string;
  diff?: string;
  /** Set for unhandled errors: "Unhandled Rejection", "Uncaught Exception", … */
  type?: string;
  /** The test (and its file) an unhandled error surfaced in, when vitest knows it. */
  testName?: string;
  testPath?: string;
}

export interface RawTest {
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  durationMs: number;
  errors: RawError[];
}

export interface RawModule {
  file: string;
  state: string;
  durationMs: number;
  errors: RawError[];
  tests: RawTest[];
}

export interface RawReport {
  modules: RawModule[];
  unhandled: RawError[];
  reason: string;
}

/** A line of the live event stream: lets the parent tell which test a blocked worker was in. */
export type LiveEvent =
  | { event: 'module-start'; file: string; at: number }
  | { event: 'module-end'; file: string; at: number }
  | { event: 'test-start'; file: string; name: string; at: number }
  | { event: 'test-end'; file: string; name: string; at: number }
  | { event: 'open-handles'; file: string; name: string; at: number }
  | { event: 'beat'; file: string; at: number }
  /** What the harness's executor did in a test that failed (core/timeline.ts). */
  | { event: 'timeline'; file: string; name: string; at: number; timeline: Timeline }
  /** A diagnostic re-run of a blocked check: the loop a probe found the worker spinning in. */
  | { event: 'spin'; file: string; at: number; site: { file: string; line: number; column: number; fn: string } }
  /** A diagnostic re-run: where the promises a failed test left pending were made (learner files). */
  | { event: 'pending-promises'; file: string; name: string; at: number; sites: Array<{ file: string; line: number; column: number }>; count: number }
  | { event: 'busy'; ms: number; at: number }
  | { event: 'console'; file: string | undefined; stream: 'stdout' | 'stderr'; text: string; at: number; dropped?: number };

/** The lines of one console event's text (vitest batches many, with a trailing newline). */
export const consoleTextLines = (text: string): string[] => text.replace(/\n$/, '').split('\n');

const FRAME_RE = /^\s*at (?:(.*?) \()?(?:file:\/\/)?(\/[^():]+):(\d+):(\d+)\)?\s*$/;

/** Frames from a V8 stack string, for errors that arrive without vitest's parsed `stacks`. */
export function parseStack(stack: string): RawError['stacks'] {
  return stack
    .split('\n')
    .map((l) => FRAME_RE.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && !m[2]!.includes('/node_modules/'))
    .map((m) => ({ file: m[2]!, line: Number(m[3]), column: Number(m[4]), ...(m[1] ? { method: m[1] } : {}) }));
}

export function rawError(e: unknown): RawError {
  const err = (e ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const stacks = !Array.isArray(err.stacks) && typeof err.stack === 'string' ? parseStack(err.stack) : Array.isArray(err.stacks)
    ? (err.stacks as Array<Record<string, unknown>>)
        .filter((s) => typeof s.file === 'string')
        .map((s) => ({ file: String(s.file), line: Number(s.line), column: Number(s.column), method: str(s.method) }))
    : [];
  const out: RawError = { message: str(err.message) ?? String(e), stacks };
  const copy = ['name', 'stack', 'expected', 'actual', 'diff', 'type'] as const;
  for (const key of copy) {
    const v = str(err[key]);
    if (v !== undefined) out[key] = v;
  }
  const testName = str(err.VITEST_TEST_NAME);
  if (testName !== undefined) out.testName = testName;
  const testPath = str(err.VITEST_TEST_PATH);
  if (testPath !== undefined) out.testPath = testPath;
  return out;
}

function rawTest(t: TestCase): RawTest {
  const result = t.result();
  const state = result.state === 'passed' || result.state === 'failed' || result.state === 'skipped' ? result.state : 'pending';
  return {
    name: t.fullName,
    state,
    durationMs: Math.round(t.diagnostic()?.duration ?? 0),
    errors: (result.errors ?? []).map(rawError),
  };
}

export function collectRaw(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>, reason: string): RawReport {
  return {
    reason,
    unhandled: unhandled.map(rawError),
    modules: modules.map((m) => ({
      file: m.moduleId,
      state: m.state(),
      durationMs: Math.round(m.diagnostic().duration),
      errors: m.errors().map(rawError),
      tests: [...m.children.allTests()].map(rawTest),
    })),
  };
}
