import { expect, test } from 'vitest';
import { initialWatchState, watchReducer, type WatchEvent, type WatchState } from '../../src/core/watch-state.js';
import type { Verdict } from '../../src/core/verdict.js';
import { layout, screenLines } from '../../src/ui/screen.js';
import { colourStyle, plainStyle } from '../../src/ui/style.js';
import { width } from '../../src/ui/text.js';

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
    link: (f: string, t: string = f) => t,
  });

test('a failing verdict at 80×24: every failure in full, hints under the headline, the key bar on one line', () => {
  const lines = screen([{ type: 'verdict', verdict: failed }, { type: 'hint' }]);
  expect(lines.length).toBeLessThanOrEqual(24);
  expect(lines.every((l) => l.length <= 80)).toBe(true);
  expect(lines.join('\n')).not.toContain('another terminal');
  expect(lines.join('\n')).toMatchInlineSnapshot(`
    "state_across_await · 00_intro · 2/2
    exercises/00_intro/state_across_await.ts

    ✗ state_across_await failed (2 of 3 tests failing)
    Hints
    1/1. Read after the await.

      ✗ two concurrent withdrawals both count
        Both withdrawals should count: expected 50 to be 20
        at exercises/00_intro/state_across_await.ts:12:3
          11 |   const b = acct.balance;
        > 12 |   await audit.log(x);
             |   ^
          13 |   acct.balance = b - amt;
      ✗ overdrafts are refused
        expected 3 to be 2
      Your console output:
      │ withdrawing 30

    Edit exercises/00_intro/state_across_await.ts and save; the check runs again by
      itself.
    ────────────────────────────────────────────────────────────────────────────────
    course ██████░░░░░░ 1/2   topic ████░░░░ 1/2
    n next  h hide  l list  r re-run  s solution  x reset  o open  ? lesson  q quit"
  `);
});

test('a pass invites n; while checking, the header says so', () => {
  const passed: Verdict = { ...failed, status: 'passed', console: [], tests: [{ name: 't', state: 'passed', durationMs: 1 }] };
  const lines = screen([{ type: 'verdict', verdict: passed }, { type: 'check-started' }]);
  expect(lines[0]).toBe('state_across_await · 00_intro · 2/2 * checking');
  expect(lines).toContain('Press n for the next exercise.');
  expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('The reference solution is in solutions/00_intro/state_across_await.ts; s shows it beside yours.');
});

test('the list view marks the cursor and the current exercise', () => {
  const lines = screen([{ type: 'open-list' }]);
  expect(lines.slice(3, 7)).toEqual(['   status   topic     exercise', '   done     00_intro  concurrency_pays', '>* pending  00_intro  state_across_await', '> cursor · * the exercise you are on']);
  expect(lines.at(-1)).toMatch(/^↑↓ move  enter go  f filter: all/);
});

test('a tiny terminal still shows the header and the key bar', () => {
  const lines = screen([{ type: 'verdict', verdict: failed }], 10);
  expect(lines.length).toBeLessThanOrEqual(10);
  expect(lines[0]).toMatch(/^state_across_await/);
  expect(lines.at(-1)).toMatch(/^n next .* q quit$/);
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

test('a runtime pass still being type-checked is pending, not passed, and asks for nothing yet', () => {
  const passed: Verdict = { ...failed, status: 'passed', console: [], tests: [{ name: 't', state: 'passed', durationMs: 1 }] };
  const text = screen([{ type: 'check-started' }, { type: 'runtime-verdict', verdict: passed }]).join('\n');
  expect(text).toContain('* state_across_await: the tests pass; checking the types…');
  expect(text).not.toContain('✓');
  expect(text).not.toContain('passed');
  expect(text).not.toContain('Press n for the next exercise.');
  expect(text).not.toContain('and save; the check runs again');
});

const sized = (state: WatchState, cols: number, rows: number, style = plainStyle) => layout(state, { width: cols, height: rows, style, spinner: '*', link: (f: string, t: string = f) => t });
const stateOf = (events: WatchEvent[]) => events.reduce(watchReducer, initialWatchState(exercises, 'state_across_await', 0));

test('a long verdict at 60×20 is read whole by scrolling: every failure, console line and type error', () => {
  const many: Verdict = {
    ...failed,
    console: Array.from({ length: 40 }, (_, i) => `console line ${i + 1}`),
    tests: Array.from({ length: 6 }, (_, i) => ({ name: `test ${i + 1} of six`, state: 'failed' as const, durationMs: 1, message: `failure number ${i + 1}, with a message long enough that it has to wrap at sixty columns` })),
  };
  let s = stateOf([{ type: 'verdict', verdict: many }]);
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const drawn = sized(s, 60, 19);
    expect(drawn.lines.length).toBeLessThanOrEqual(19);
    expect(drawn.lines.every((l) => width(l) <= 60)).toBe(true);
    expect(drawn.lines.join('\n')).not.toContain('another terminal');
    expect(drawn.lines.at(-1)).toMatch(/q quit$/);
    drawn.lines.slice(3, 3 + drawn.scroll!.room).forEach((l) => seen.add(l.trim()));
    const next = watchReducer(s, { type: 'scroll', by: 'page-down', room: drawn.scroll!.room, total: drawn.scroll!.total });
    if (next.verdictTop === s.verdictTop) break;
    s = next;
  }
  for (let i = 1; i <= 40; i++) expect(seen).toContain(`│ console line ${i}`);
  for (let i = 1; i <= 6; i++) expect(seen).toContain(`✗ test ${i} of six`);
  expect(seen).toContain('failure number 6, with a message long enough that it has');
  expect(seen).toContain('to wrap at sixty columns');
  const types: Verdict = { ...failed, status: 'type-error', console: [], tests: [], errors: Array.from({ length: 9 }, (_, i) => ({ code: 2322, message: `type error ${i + 1}` })) };
  const end = watchReducer(stateOf([{ type: 'verdict', verdict: types }]), { type: 'scroll', by: 'end', room: 14, total: 40 });
  const text = [0, 1, 2].map((k) => sized(watchReducer(end, { type: 'scroll', by: -6 * k, room: sized(end, 60, 19).scroll!.room, total: sized(end, 60, 19).scroll!.total }), 60, 19).lines.join('\n')).join('\n');
  for (let i = 1; i <= 9; i++) expect(text).toContain(`TS2322: type error ${i}`);
  expect(text).not.toMatch(/… \d+ more/);
});

test('footers: at 60 columns the keys wrap and none is lost; at 120 the rule fills the width', () => {
  const at60 = sized(stateOf([{ type: 'verdict', verdict: failed }]), 60, 19).lines;
  const keys = at60.slice(at60.findIndex((l) => l.startsWith('course ')) + 1).join('  ');
  for (const k of ['n next', 'h hint', 'l list', 'r re-run', 's solution', 'x reset', 'o open', '? lesson', 'q quit']) expect(keys).toContain(k);
  expect(at60.every((l) => width(l) <= 60)).toBe(true);
  const at120 = sized(stateOf([{ type: 'verdict', verdict: failed }]), 120, 39).lines;
  expect(at120).toContain('─'.repeat(120));
});

test('wide characters are counted as the terminal draws them (string-width)', () => {
  const wide: Verdict = { ...failed, tests: [{ name: '並行処理のテスト 🚀', state: 'failed', durationMs: 1, message: '非同期関数の結果が期待と違います。'.repeat(6) }] };
  const lines = sized(stateOf([{ type: 'verdict', verdict: wide }]), 60, 19).lines;
  expect(lines.every((l) => width(l) <= 60)).toBe(true);
  expect(lines.filter((l) => l.includes('非同期')).length).toBeGreaterThan(1);
});

test('n and s are drawn inactive (dim) before a pass and active after it', () => {
  const dim = (t: string) => `\u001b[2m${t}\u001b[22m`;
  const bold = (k: string) => `\u001b[1m${k}\u001b[22m`;
  const before = sized(stateOf([{ type: 'verdict', verdict: failed }]), 80, 23, colourStyle).lines.at(-1)!;
  expect(before).toContain(dim('n next'));
  expect(before).toContain(dim('s solution'));
  expect(before).toContain(`${bold('h')} hint`);
  const passed: Verdict = { ...failed, status: 'passed', console: [], tests: [{ name: 't', state: 'passed', durationMs: 1 }] };
  const after = sized(stateOf([{ type: 'verdict', verdict: passed }]), 80, 23, colourStyle).lines.at(-1)!;
  expect(after).toContain(`${bold('n')} next`);
  expect(after).toContain(`${bold('s')} solution`);
  // Tests passed but the types not yet checked: not a pass, n is still inactive.
  const pending = sized(stateOf([{ type: 'check-started' }, { type: 'runtime-verdict', verdict: passed }]), 80, 23, colourStyle).lines.at(-1)!;
  expect(pending).toContain(dim('n next'));
});

test('the reset question and the finish screen at 60×20 wrap, never cut', () => {
  const ask = sized(stateOf([{ type: 'ask-reset', name: 'state_across_await' }]), 60, 19).lines;
  const asked = ask.join('\n').replace(/\n\s*/g, ' ');
  expect(asked).toContain('Your current version is kept in');
  expect(asked).toContain('brings it back).');
  expect(ask.at(-1)).toBe('y reset  n keep');
  const finish = layout(stateOf([{ type: 'finish', verdict: failed }]), { width: 60, height: 19, style: plainStyle, spinner: '*', link: (f: string, t: string = f) => t, finalMessage: 'You did it. '.repeat(12) }).lines;
  expect(finish.join('\n')).toContain('Every exercise passes.');
  expect(finish.filter((l) => l.includes('You did it.')).length).toBeGreaterThan(1);
  for (const lines of [ask, finish]) expect(lines.every((l) => width(l) <= 60 && !l.includes('…'))).toBe(true);
  expect(finish.at(-1)).toBe('q quit');
});

test('the reset question says what is kept, with the command as the learner started the tool', () => {
  const ask: WatchEvent = { type: 'ask-reset', name: 'state_across_await' };
  const state = [ask].reduce(watchReducer, initialWatchState(exercises, 'state_across_await', 0));
  const options = { width: 80, height: 24, style: plainStyle, spinner: '*', link: (f: string, t: string = f) => t };
  const npx = screenLines(state, { ...options, command: 'npx async-lessons' }).join('\n').replace(/\n\s*/g, ' ');
  expect(npx).toMatch(/Reset state_across_await to its starting code\?/);
  expect(npx).toMatch(/kept in \.async-lessons\/backups\/ \(`npx async-lessons undo-reset state_across_await`\s+brings it back\)/);
  // Deleted: there is no current version to keep, and the question must not pretend otherwise.
  const gone = [{ type: 'file-missing', missing: true } as WatchEvent, ask].reduce(watchReducer, initialWatchState(exercises, 'state_across_await', 0));
  const text = screenLines(gone, options).join('\n').replace(/\n\s*/g, ' ');
  expect(text).toMatch(/exercises\/00_intro\/state_across_await\.ts was deleted, so there is nothing to back\s+up/);
  expect(text).not.toMatch(/current version is kept/);
});

test("every 'at file:line:column' is a link where the terminal has them", () => {
  const state = [{ type: 'verdict', verdict: failed } as WatchEvent].reduce(watchReducer, initialWatchState(exercises, 'state_across_await', 0));
  const osc8 = (file: string, text = file) => `\u001b]8;;file:///ws/${file}\u0007${text}\u001b]8;;\u0007`;
  const lines = screenLines(state, { width: 80, height: 40, style: plainStyle, spinner: '*', link: osc8 });
  expect(lines.some((l) => l.includes('at \u001b]8;;file:///ws/exercises/00_intro/state_across_await.ts\u0007exercises/00_intro/state_across_await.ts:12:3\u001b]8;;\u0007'))).toBe(true);
});
