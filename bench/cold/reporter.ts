// A vitest reporter loaded by the cold check runner inside the vitest process (bundled to
// dist/check-reporter.js). It streams live events so the parent can name the test a blocked worker
// was in, and writes the whole run as a RawReport at the end.
import { appendFileSync, writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import { collectRaw, type LiveEvent } from '../../src/node/engine/shared/raw-report.js';

const out = process.env.ASYNC_LESSONS_REPORT;
const live = process.env.ASYNC_LESSONS_LIVE;

// Appending synchronously keeps each line whole and in order even if the run is killed right after.
const emit = (e: LiveEvent) => {
  if (live !== undefined) appendFileSync(live, `${JSON.stringify(e)}\n`);
};

export default class CheckReporter implements Reporter {
  private readonly files = new Map<string, string>();
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestModuleStart(m: TestModule): void {
    this.files.set(m.id, m.moduleId);
    emit({ event: 'module-start', file: m.moduleId, at: Date.now() });
  }

  onTestModuleEnd(m: TestModule): void {
    emit({ event: 'module-end', file: m.moduleId, at: Date.now() });
  }

  // Test start and end come from the worker itself (setup.ts): these hooks arrive batched and late.
  onTestCaseReady(t: TestCase): void {
    this.files.set(t.id, t.module.moduleId);
  }

  onUserConsoleLog(log: { content: string; type: 'stdout' | 'stderr'; taskId?: string }): void {
    // Console logs can arrive before the batched test events that would name their file.
    const task = log.taskId === undefined ? undefined : this.vitest?.state.idMap.get(log.taskId);
    const file = task?.file?.filepath ?? (log.taskId === undefined ? undefined : this.files.get(log.taskId));
    emit({ event: 'console', file, stream: log.type, text: log.content, at: Date.now() });
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>, reason: string): void {
    if (out !== undefined) writeFileSync(out, JSON.stringify(collectRaw(modules, unhandled, reason)));
  }
}
