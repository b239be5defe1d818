import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
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

const verdictFor = (name: string): Verdict => {
  const passed = name === 'passes';
  return { exercise: name, status: passed ? 'passed' : 'failed', durationMs: 5, console: [], warnings: [], tests: [{ name: 'the test', state: passed ? 'passed' : 'failed', durationMs: 1, ...(passed ? {} : { message: 'expected 1 to be 2' }) }] };
};

/** Answers at once, or, when held, keeps every check waiting until release() (as a long run does). */
class FakeRunner implements CheckRunner {
  held = false;
  private waiting: Array<() => void> = [];
  async check(t: CheckTarget): Promise<Verdict> {
    if (this.held) await new Promise<void>((r) => this.waiting.push(r));
    return verdictFor(t.exercise.name);
  }
  release(): void {
    this.held = false;
    for (const r of this.waiting.splice(0)) r();
  }
  async checkMany(ts: readonly CheckTarget[]): Promise<Verdict[]> {
    return Promise.all(ts.map((t) => this.check(t)));
  }
  async close(): Promise<void> {}
}

async function setUp(current?: string) {
  const dir = await tempDir();
  const loaded = await loadCourse(miniCourse);
  const ws = await initWorkspace(path.join(dir, 'ws'), loaded);
  const store = new ProgressStore(path.join(ws.stateDir, 'progress.json'));
  const progress = { ...(await store.load()).progress, ...(current ? { current } : {}) };
  const learner = { ws, loaded, lock: await readLock(miniCourse), store, progress, order: loaded.course.exercises.map((e) => e.name) };
  const runner = new FakeRunner();
  const session = new WatchSession(learner, runner, { manualRun: true });
  // The screen shows a pass before its progress reaches the disk (the write follows the verdict):
  // read until it is there, or the file is not written yet.
  const onDisk = async (name: string) => {
    try {
      return JSON.parse(await readFile(path.join(ws.stateDir, 'progress.json'), 'utf8')).exercises[name];
    } catch {
      return undefined;
    }
  };
  return { ws, learner, runner, session, onDisk };
}

const until = async (get: () => string, pattern: RegExp) => {
  for (let i = 0; i < 100; i++) {
    if (pattern.test(get())) return get();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never saw ${pattern} in:\n${get()}`);
};

test('q closes the lesson and the solution (so does any key not listed); on the pass screen q quits with the pass already counted', async () => {
  const { session, onDisk } = await setUp();
  const app = renderSized(<WatchApp session={session} style={plainStyle} link={(f: string, t: string = f) => t} finalMessage="done" open={async () => undefined} />);
  let exited = false;
  void app.exited.then(() => (exited = true));
  try {
    session.start();
    await until(app.screen, /01 basics\n═════════[\s\S]*esc close/);
    app.stdin.write('q');
    const pass = await until(app.screen, /✓ passes passed[\s\S]*Press n for the next exercise/);
    expect(exited).toBe(false);
    // Counted before any n: in the progress bar and on disk.
    expect(pass).toMatch(/course █░+ 1\/10/);
    await expect.poll(() => onDisk('passes')).toMatchObject({ status: 'done', attempts: 1 });
    app.stdin.write('?');
    await until(app.screen, /01 basics\n═════════[\s\S]*esc close/);
    app.stdin.write('q');
    await until(app.screen, /Press n for the next exercise/);
    app.stdin.write('s');
    await until(app.screen, /Reference solution[\s\S]*esc close/);
    app.stdin.write('z');
    await until(app.screen, /Press n for the next exercise/);
    expect(exited).toBe(false);
    app.stdin.write('q');
    await app.exited;
    expect(exited).toBe(true);
  } finally {
    app.unmount();
    await session.close();
  }
});

test('two saves during one run: one attempt, the solution revealed once; a later pass does not reveal it again', async () => {
  const { ws, runner, session, onDisk } = await setUp();
  const solution = path.join(ws.root, 'solutions/01_basics/passes.ts');
  runner.held = true;
  const first = session.recheck();
  const second = session.recheck();
  runner.release();
  await Promise.all([first, second]);
  await expect.poll(() => onDisk('passes')).toMatchObject({ status: 'done', attempts: 1 });
  expect(existsSync(solution)).toBe(true);
  await rm(solution);
  await session.recheck(true);
  await expect.poll(() => onDisk('passes')).toMatchObject({ status: 'done', attempts: 2 });
  expect(existsSync(solution)).toBe(false);
  await session.close();
});

test('the list: a hint notice does not follow into it; x then n stays in it', async () => {
  const { session } = await setUp('fails');
  const app = renderSized(<WatchApp session={session} style={plainStyle} link={(f: string, t: string = f) => t} finalMessage="done" open={async () => undefined} />, 60, 20);
  try {
    session.start();
    await until(app.screen, /esc close/);
    app.stdin.write('\u001b');
    await until(app.screen, /✗ fails failed/);
    app.stdin.write('hhh');
    await until(app.screen, /That was the last hint/);
    app.stdin.write('l');
    const list = await until(app.screen, /enter go/);
    expect(list).not.toMatch(/last hint/);
    app.stdin.write('jx');
    await until(app.screen, /Reset syntax_error to its starting code\?/);
    app.stdin.write('n');
    const back = await until(app.screen, /enter go/);
    expect(back).toMatchInlineSnapshot(`
      "fails · 01_basics · 2/10
      exercises/01_basics/fails.ts

         status   topic       exercise
         pending  01_basics   passes
       * pending  01_basics   fails
      >  pending  01_basics   syntax_error
         pending  01_basics   type_error
         pending  02_hangs    infinite_loop
         pending  02_hangs    never_settles
         pending  03_crashes  exits_at_import
         pending  03_crashes  throws_at_import
         pending  03_crashes  unhandled_rejection
         pending  03_crashes  missing_on_disk
      > cursor · * the exercise you are on
      ────────────────────────────────────────────────────────────
      course ░░░░░░░░░░░░ 0/10   topic ░░░░░░░░ 0/4
      ↑↓ move  enter go  f filter: all  / search  x reset
      esc back  q quit"
    `);
  } finally {
    app.unmount();
    await session.close();
  }
});

test('whole screens at 60×20: a failing verdict with its hints, then hidden again', async () => {
  const { session } = await setUp('fails');
  const app = renderSized(<WatchApp session={session} style={plainStyle} link={(f: string, t: string = f) => t} finalMessage="done" open={async () => undefined} />, 60, 20);
  try {
    session.start();
    await until(app.screen, /esc close/);
    app.stdin.write('\u001b');
    await until(app.screen, /✗ fails failed/);
    app.stdin.write('hh');
    const hints = await until(app.screen, /2\/2\. Use \+ instead of -\./);
    expect(hints.split('\n').length).toBeLessThanOrEqual(20);
    expect(hints).toMatchInlineSnapshot(`
      "fails · 01_basics · 2/10
      exercises/01_basics/fails.ts

      ✗ fails failed (1 of 1 test failing)
      Hints
      1/2. Look at the operator.
      2/2. Use + instead of -.
      Rust: fn add(a: i32, b: i32) -> i32 { a + b }

        ✗ the test
          expected 1 to be 2

      Edit exercises/01_basics/fails.ts and save; the check runs
        again by itself.
      ────────────────────────────────────────────────────────────
      course ░░░░░░░░░░░░ 0/10   topic ░░░░░░░░ 0/4
      n next  h hide  l list  r re-run  s solution  x reset
      o open  ? lesson  q quit"
    `);
    app.stdin.write('h');
    const hidden = await until(app.screen, /h shows them again/);
    expect(hidden).not.toMatch(/Look at the operator/);
    expect(hidden).toMatchInlineSnapshot(`
      "fails · 01_basics · 2/10
      exercises/01_basics/fails.ts

      ✗ fails failed (1 of 1 test failing)
        ✗ the test
          expected 1 to be 2

      Edit exercises/01_basics/fails.ts and save; the check runs
        again by itself.
      That was the last hint; h shows them again.
      ────────────────────────────────────────────────────────────
      course ░░░░░░░░░░░░ 0/10   topic ░░░░░░░░ 0/4
      n next  h hint  l list  r re-run  s solution  x reset
      o open  ? lesson  q quit"
    `);
  } finally {
    app.unmount();
    await session.close();
  }
});
