// Loaded into every test worker (bundled to dist/check-setup.js). A test that blocks the event
// loop never lets an asynchronous message out, so the worker itself records, synchronously, which
// test is about to run; the parent's watchdog reads it to name the test that blocked.
import { appendFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';

const live = process.env.ASYNC_LESSONS_REPORT === undefined ? undefined : `${process.env.ASYNC_LESSONS_REPORT}.live`;

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
