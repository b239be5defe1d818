import { expect, test } from 'vitest';
import { initialWatchState, watchReducer, type WatchEvent } from '../../src/core/watch-state.js';
import type { Verdict } from '../../src/core/verdict.js';
import { screenLines } from '../../src/ui/screen.js';
import { plainStyle } from '../../src/ui/style.js';

const exercises = [
  { name: 'concurrency_pays', topic: '00_intro', file: 'exercises/00_intro/concurrency_pays.ts', hints: ['Start them all first.', 'Promise.all keeps order.'], rust: 'try_join_all(...)', done: true },
  { name: 'state_across_await', topic: '00_intro', file: 'exercises/00_intro/state_across_await.ts', hints: ['Read after the await.'], rust: undefined, done: false },
];
const failed: Verdict = {
  exercise: 'state_across_await',
  status: 'failed',
  durationMs: 42,
  console: ['withdrawing 30'],
  warnings: [],
  tests: [
    {
      name: 'two concurrent withdrawals both count',
      state: 'failed',
      durationMs: 3,
      message: 'Both withdrawals should count: expected 50 to be 20',
      diff: '- Expected\n+ Received\n\n- 20\n+ 50',
      frame: { file: 'exercises/00_intro/state_across_await.ts', line: 12, column: 3, lines: [{ n: 11, text: '  const b = acct.balance;' }, { n: 12, text: '  await audit.log(x);' }, { n: 13, text: '  acct.balance = b - amt;' }] },
    },
    { name: 'overdrafts are refused', state: 'failed', durationMs: 1, message: 'expected 3 to be 2' },
    { name: 'audits every attempt', state: 'passed', durationMs: 1 },
  ],
};
const screen = (events: WatchEvent[], height = 24) =>
  screenLines(events.reduce(watchReducer, initialWatchState(exercises, 'state_across_await', 0)), {
    width: 80,
    height,
    style: plainStyle,
    spinner: '*',
    link: (f) => f,
  });

test('a failing verdict at 80×24: first failure in full, the others named, key bar on screen', () => {
  const lines = screen([{ type: 'verdict', verdict: failed }, { type: 'hint' }]);
  expect(lines.length).toBeLessThanOrEqual(24);
  expect(lines.every((l) => l.length <= 80)).toBe(true);
  expect(lines.join('\n')).toMatchInlineSnapshot(`
    "state_across_await · 00_intro · 2/2
    exercises/00_intro/state_across_await.ts

    ✗ state_across_await failed (2 of 3 tests failing)
    Hints
    1/1. Read after the await.

      ✗ two concurrent withdrawals both count
        Both withdrawals should count: expected 50 to be 20
        - Expected
        + Received
        
        - 20
        + 50
        at exercises/00_intro/state_across_await.ts:12:3
          11 |   const b = acct.balance;
        > 12 |   await audit.log(x);
             |   ^
          13 |   acct.balance = b - amt;
      ✗ overdrafts are refused
    … 5 more lines (run \`async-lessons run\` in another terminal for all of it)
    ────────────────────────────────────────────────────────────────────────────────
    course ██████░░░░░░ 1/2   topic ████░░░░ 1/2
    n next · h hint · l list · r re-run · s solution · x reset · ? lesson · q quit"
  `);
});

test('a pass invites n; while checking, the header says so', () => {
  const passed: Verdict = { ...failed, status: 'passed', console: [], tests: [{ name: 't', state: 'passed', durationMs: 1 }] };
  const lines = screen([{ type: 'verdict', verdict: passed }, { type: 'check-started' }]);
  expect(lines[0]).toBe('state_across_await · 00_intro · 2/2 * checking');
  expect(lines).toContain('Press n for the next exercise.');
});

test('the list view marks the cursor and the current exercise', () => {
  const lines = screen([{ type: 'open-list' }]);
  expect(lines.slice(3, 5)).toEqual(['   done     00_intro              concurrency_pays', '>* pending  00_intro              state_across_await']);
  expect(lines.at(-1)).toMatch(/^↑↓ move · enter go · f filter: all/);
});

test('a tiny terminal still shows the header and the key bar', () => {
  const lines = screen([{ type: 'verdict', verdict: failed }], 10);
  expect(lines.length).toBeLessThanOrEqual(10);
  expect(lines.at(-1)).toMatch(/^n next/);
});

test('a diagnosed hang points to the lesson that explains it, when the course names one', () => {
  const hang: Verdict = {
    exercise: 'state_across_await',
    status: 'timeout',
    durationMs: 2100,
    console: [],
    warnings: [],
    tests: [],
    diagnosis: { kind: 'blocked-event-loop', test: 'two concurrent withdrawals both count', message: 'The event loop was blocked for 2.1 s.' },
  };
  const state = watchReducer(initialWatchState(exercises, 'state_across_await', 0), { type: 'verdict', verdict: hang });
  const options = { width: 80, height: 24, style: plainStyle, spinner: '*', link: (f: string) => `<${f}>` };
  const withLesson = screenLines(state, { ...options, diagnosisLessons: { 'blocked-event-loop': '04_runtimes' } }).join('\n');
  expect(withLesson).toMatch(/⧗ state_across_await: blocked the event loop/);
  expect(withLesson).toContain('The lesson that explains this: <exercises/04_runtimes/README.md>');
  // A lesson for another kind of hang is not offered for this one.
  expect(screenLines(state, { ...options, diagnosisLessons: { 'never-settled': '01_future_trait' } }).join('\n')).not.toContain('The lesson that explains this');
});

test('a runtime pass still being type-checked says so and asks for nothing yet', () => {
  const passed: Verdict = { ...failed, status: 'passed', console: [], tests: [{ name: 't', state: 'passed', durationMs: 1 }] };
  const text = screen([{ type: 'check-started' }, { type: 'runtime-verdict', verdict: passed }]).join('\n');
  expect(text).toContain('* type-checking…');
  expect(text).not.toContain('Press n for the next exercise.');
  expect(text).not.toContain('and save; the check runs again');
});
