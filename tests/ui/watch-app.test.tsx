import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { expect, test } from 'vitest';
import type { Verdict } from '../../src/core/verdict.js';
import type { CheckRunner, CheckTarget } from '../../src/node/engine/check-runner.js';
import { loadCourse } from '../../src/node/course-loader.js';
import { readLock } from '../../src/node/course-lock.js';
import { ProgressStore } from '../../src/node/progress-store.js';
import { WatchSession } from '../../src/node/watch-session.js';
import { initWorkspace } from '../../src/node/workspace.js';
import { WatchApp } from '../../src/ui/WatchApp.js';
import { plainStyle } from '../../src/ui/style.js';
import { renderSized } from './ink-size.js';
import { miniCourse, tempDir } from '../helpers.js';

/** A runner that answers at once: passes for "passes", fails for everything else. */
class FakeRunner implements CheckRunner {
  checks: string[] = [];
  async check(t: CheckTarget): Promise<Verdict> {
    this.checks.push(t.exercise.name);
    const passed = t.exercise.name === 'passes';
    return { exercise: t.exercise.name, status: passed ? 'passed' : 'failed', durationMs: 5, console: [], warnings: [], tests: [{ name: 'the test', state: passed ? 'passed' : 'failed', durationMs: 1, ...(passed ? {} : { message: 'expected 1 to be 2' }) }] };
  }
  async checkMany(ts: readonly CheckTarget[]): Promise<Verdict[]> {
    return Promise.all(ts.map((t) => this.check(t)));
  }
  async close(): Promise<void> {}
}

const frame = (f: string | undefined) => stripVTControlCharacters(f ?? '');
const until = async (get: () => string, pattern: RegExp) => {
  for (let i = 0; i < 100; i++) {
    if (pattern.test(get())) return get();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never saw ${pattern} in:\n${get()}`);
};

test('WatchApp: lesson first, then the verdict; n moves on after a pass; h shows a hint; l lists; x asks', async () => {
  const dir = await tempDir();
  const loaded = await loadCourse(miniCourse);
  const ws = await initWorkspace(path.join(dir, 'ws'), loaded);
  const store = new ProgressStore(path.join(ws.stateDir, 'progress.json'));
  const learner = { ws, loaded, lock: await readLock(miniCourse), store, progress: (await store.load()).progress, order: loaded.course.exercises.map((e) => e.name) };
  const runner = new FakeRunner();
  const session = new WatchSession(learner, runner, { manualRun: true });
  const app = render(<WatchApp session={session} style={plainStyle} link={(f: string, t: string = f) => t} finalMessage="done" open={async () => undefined} />);
  const screen = () => frame(app.lastFrame());
  try {
    session.start();
    await until(screen, /Welcome to the mini course\.[\s\S]*01 basics\n═════════/);
    app.stdin.write('\u001b');
    await until(screen, /✓ passes passed[\s\S]*Press n for the next exercise/);
    app.stdin.write('s');
    await until(screen, /Reference solution: solutions\/01_basics\/passes.ts[\s\S]*identical to yours/);
    app.stdin.write('\u001b');
    await until(screen, /Press n for the next exercise/);
    app.stdin.write('n');
    await until(screen, /fails · 01_basics · 2\/10[\s\S]*✗ fails failed/);
    app.stdin.write('s');
    await until(screen, /opens once your version passes/);
    expect(runner.checks).toEqual(['passes', 'fails']);
    app.stdin.write('n');
    await until(screen, /n moves on only after a pass/);
    app.stdin.write('h');
    await until(screen, /1\/2\. Look at the operator\./);
    app.stdin.write('l');
    await until(screen, /> ?\* pending +01_basics +fails/);
    app.stdin.write('\u001b');
    await until(screen, /n next  h hint/);
    app.stdin.write('x');
    await until(screen, /Reset fails to its starting code\?/);
    app.stdin.write('n');
    await until(screen, /✗ fails failed/);
    expect(learner.progress.exercises.passes?.status).toBe('done');
  } finally {
    app.unmount();
    await session.close();
  }
});

test('whole screens at 80×24: the lesson, a failing verdict with a hint, the list', async () => {
  const dir = await tempDir();
  const loaded = await loadCourse(miniCourse);
  const ws = await initWorkspace(path.join(dir, 'ws'), loaded);
  const store = new ProgressStore(path.join(ws.stateDir, 'progress.json'));
  const learner = { ws, loaded, lock: await readLock(miniCourse), store, progress: (await store.load()).progress, order: loaded.course.exercises.map((e) => e.name) };
  const session = new WatchSession(learner, new FakeRunner(), { manualRun: true });
  const app = renderSized(<WatchApp session={session} style={plainStyle} link={(f: string, t: string = f) => t} finalMessage="done" open={async () => undefined} />);
  try {
    session.start();
    const lesson = await until(app.screen, /lines 1–6 of 6 · the end/);
    expect(lesson.split('\n').length).toBeLessThanOrEqual(24);
    expect(lesson).toMatchInlineSnapshot(`
      "passes · 01_basics · 1/10
      exercises/01_basics/passes.ts

      Welcome to the mini course.

      01 basics
      ═════════

      The first topic of the mini course.










      lines 1–6 of 6 · the end
      ────────────────────────────────────────────────────────────────────────────────
      course █░░░░░░░░░░░ 1/10   topic ██░░░░░░ 1/4
      ↑↓ space b scroll  esc close"
    `);
    app.stdin.write('\u001b');
    await until(app.screen, /Press n for the next exercise/);
    app.stdin.write('n');
    await until(app.screen, /✗ fails failed/);
    app.stdin.write('h');
    const failing = await until(app.screen, /1\/2\. Look at the operator\./);
    expect(failing.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(failing).toMatchInlineSnapshot(`
      "fails · 01_basics · 2/10
      exercises/01_basics/fails.ts

      ✗ fails failed (1 of 1 test failing)
      Hints
      1/2. Look at the operator.
      Rust: fn add(a: i32, b: i32) -> i32 { a + b }

        ✗ the test
          expected 1 to be 2

      Edit exercises/01_basics/fails.ts and save; the check runs again by itself.
      ────────────────────────────────────────────────────────────────────────────────
      course █░░░░░░░░░░░ 1/10   topic ██░░░░░░ 1/4
      n next  h hint  l list  r re-run  s solution  x reset  o open  ? lesson  q quit"
    `);
    app.stdin.write('l');
    const list = await until(app.screen, /enter go/);
    expect(list).toMatchInlineSnapshot(`
      "fails · 01_basics · 2/10
      exercises/01_basics/fails.ts

         status   topic       exercise
         done     01_basics   passes
      >* pending  01_basics   fails
         pending  01_basics   syntax_error
         pending  01_basics   type_error
         pending  02_hangs    infinite_loop
         pending  02_hangs    never_settles
         pending  03_crashes  exits_at_import
         pending  03_crashes  throws_at_import
         pending  03_crashes  unhandled_rejection
         pending  03_crashes  missing_on_disk
      > cursor · * the exercise you are on
      ────────────────────────────────────────────────────────────────────────────────
      course █░░░░░░░░░░░ 1/10   topic ██░░░░░░ 1/4
      ↑↓ move  enter go  f filter: all  / search  x reset  esc back  q quit"
    `);
  } finally {
    app.unmount();
    await session.close();
  }
});
