// Loaded into every test worker before each check file (bundled to dist/check-setup.js).
// - A test that blocks the event loop never lets an asynchronous message out, so the worker itself
//   records, synchronously, which test is about to run; the watchdog reads it to name the test.
// - testTimeout is per exercise (info.toml), but one vitest run serves many exercises: the timeout
//   for this file is set here, before the file's tests are defined.
import { appendFileSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, vi } from 'vitest';

const live = process.env.ASYNC_LESSONS_LIVE;
const testPath = expect.getState().testPath;

function timeoutFor(file: string | undefined): number | undefined {
  const table = process.env.ASYNC_LESSONS_TIMEOUTS;
  if (table === undefined || file === undefined) return undefined;
  try {
    const map = JSON.parse(readFileSync(table, 'utf8')) as Record<string, number>;
    return map[file] ?? map['*'];
  } catch {
    return undefined;
  }
}

const timeout = timeoutFor(testPath);
// Set it every time: with isolate:false the previous file's value would otherwise carry over.
if (timeout !== undefined) vi.setConfig({ testTimeout: timeout, hookTimeout: timeout });

function mark(event: 'test-start' | 'test-end', file: string | undefined, name: string): void {
  if (live === undefined || file === undefined) return;
  try {
    appendFileSync(live, `${JSON.stringify({ event, file, name, at: Date.now() })}\n`);
  } catch {
    // Without the marker the watchdog still fires; it just cannot name the test.
  }
}

beforeEach((ctx) => mark('test-start', ctx.task.file?.filepath, ctx.task.fullTestName ?? ctx.task.name));
afterEach((ctx) => mark('test-end', ctx.task.file?.filepath, ctx.task.fullTestName ?? ctx.task.name));
