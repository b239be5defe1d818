import { describe, expect, test } from 'vitest';
import { initialWatchState, listRows, passedNow, scrolled, watchReducer, type WatchEvent, type WatchState } from '../../src/core/watch-state.js';
import type { Verdict } from '../../src/core/verdict.js';

const exercises = [
  { name: 'alpha', topic: '00_intro', file: 'exercises/00_intro/alpha.ts', hints: ['nudge', 'near'], rust: 'x', done: true },
  { name: 'beta', topic: '00_intro', file: 'exercises/00_intro/beta.ts', hints: ['one'], rust: undefined, done: false },
  { name: 'gamma', topic: '01_future', file: 'exercises/01_future/gamma.ts', hints: [], rust: undefined, done: false },
];
const verdict = (status: 'passed' | 'failed'): Verdict => ({ exercise: 'beta', status, durationMs: 1, tests: [], console: [], warnings: [] });
const run = (events: WatchEvent[], from: WatchState = initialWatchState(exercises, 'beta', 0)) => events.reduce(watchReducer, from);

describe('watchReducer', () => {
  test('a check shows "checking", then its verdict', () => {
    const s = run([{ type: 'check-started' }, { type: 'runtime-verdict', verdict: verdict('passed') }]);
    expect([s.checking, s.typesPending, s.verdict?.status]).toEqual([true, true, 'passed']);
    const t = watchReducer(s, { type: 'verdict', verdict: verdict('failed') });
    expect([t.checking, t.typesPending, t.verdict?.status]).toEqual([false, false, 'failed']);
  });

  test.each([
    ['no verdict yet', [], true],
    ['a failing verdict', [{ type: 'verdict', verdict: verdict('failed') }], true],
    ['a pass still being re-checked', [{ type: 'verdict', verdict: verdict('passed') }, { type: 'check-started' }], true],
    ['a pass', [{ type: 'verdict', verdict: verdict('passed') }], false],
  ] as Array<[string, WatchEvent[], boolean]>)('n after %s → notice: %s', (_l, events, notice) => {
    const s = run([...events, { type: 'next' }]);
    expect(s.notice !== undefined).toBe(notice);
  });

  test('h reveals one hint at a time; after the last it hides them, and shows them again', () => {
    const seen = (events: WatchEvent[], from = initialWatchState(exercises, 'alpha', 0)) => {
      const s = run(events, from);
      return [s.hintsShown, s.hintsOpen, s.notice];
    };
    expect(seen([{ type: 'hint' }])).toEqual([1, true, undefined]);
    expect(seen([{ type: 'hint' }, { type: 'hint' }])).toEqual([2, true, undefined]);
    expect(seen([{ type: 'hint' }, { type: 'hint' }, { type: 'hint' }])).toEqual([2, false, 'That was the last hint; h shows them again.']);
    expect(seen([{ type: 'hint' }, { type: 'hint' }, { type: 'hint' }, { type: 'hint' }])).toEqual([2, true, undefined]);
    // Resumed with one hint seen: it is on screen, and h reveals the next.
    expect(seen([{ type: 'hint' }], initialWatchState(exercises, 'alpha', 1))).toEqual([2, true, undefined]);
    expect(seen([{ type: 'hint' }], initialWatchState(exercises, 'gamma', 0))).toEqual([0, false, 'This exercise has no hints.']);
  });

  test('a pass counts at once: the exercise is done on the pass, before any n', () => {
    const done = (s: WatchState) => s.exercises.find((e) => e.name === 'beta')!.done;
    expect(done(run([{ type: 'check-started' }, { type: 'runtime-verdict', verdict: verdict('passed') }]))).toBe(false);
    expect(done(run([{ type: 'check-started' }, { type: 'verdict', verdict: verdict('failed') }]))).toBe(false);
    expect(done(run([{ type: 'check-started' }, { type: 'verdict', verdict: verdict('passed') }]))).toBe(true);
    // A late verdict for another exercise does not mark the current one.
    expect(done(run([{ type: 'verdict', verdict: { ...verdict('passed'), exercise: 'gamma' } }]))).toBe(false);
  });

  test.each([
    ['a runtime pass whose types are still checked', [{ type: 'check-started' }, { type: 'runtime-verdict', verdict: verdict('passed') }], false],
    ['a pass being re-checked', [{ type: 'verdict', verdict: verdict('passed') }, { type: 'check-started' }], false],
    ['a pass, types included', [{ type: 'check-started' }, { type: 'verdict', verdict: verdict('passed') }], true],
  ] as Array<[string, WatchEvent[], boolean]>)('passed now after %s: %s', (_l, events, want) => {
    expect(passedNow(run(events))).toBe(want);
  });

  test('list: filter cycles all → pending → done, search narrows, moves stay in range', () => {
    let s = run([{ type: 'open-list' }]);
    expect(s.view).toBe('list');
    expect(s.list.cursor).toBe(1);
    s = watchReducer(s, { type: 'list-filter' });
    expect(listRows(s).map((r) => r.name)).toEqual(['beta', 'gamma']);
    s = watchReducer(s, { type: 'list-filter' });
    expect(listRows(s).map((r) => r.name)).toEqual(['alpha']);
    s = run([{ type: 'list-filter' }, { type: 'list-search', text: undefined }, { type: 'list-search', text: 'fut' }], s);
    expect(listRows(s).map((r) => r.name)).toEqual(['gamma']);
    s = run([{ type: 'list-move', by: 5 }, { type: 'list-move', by: 'end' }], s);
    expect(s.list.cursor).toBe(0);
    s = run([{ type: 'close' }], s);
    expect([s.view, s.list.searching]).toEqual(['list', false]);
    s = run([{ type: 'close' }], s);
    expect(s.view).toBe('exercise');
  });

  test('select moves to another exercise and forgets the old verdict; unknown names are ignored', () => {
    const s = run([{ type: 'verdict', verdict: verdict('passed') }, { type: 'select', name: 'gamma' }]);
    expect([s.current, s.verdict, s.view]).toEqual(['gamma', undefined, 'exercise']);
    expect(watchReducer(s, { type: 'select', name: 'nope' })).toBe(s);
  });

  test.each([
    // total 63 lines, 20 visible: pages end on the last line, nothing is skipped either way.
    [0, 'page-down', 20, 63, 20],
    [20, 'page-down', 20, 63, 40],
    [40, 'page-down', 20, 63, 43],
    [43, 'page-down', 20, 63, 43],
    [43, 'page-up', 20, 63, 23],
    [3, 'page-up', 20, 63, 0],
    [0, -1, 20, 63, 0],
    [42, 1, 20, 63, 43],
    [43, 1, 20, 63, 43],
    [10, 'home', 20, 63, 0],
    [0, 'end', 20, 63, 43],
    // Content that fits never scrolls; a top left past the end by a resize comes back.
    [0, 'page-down', 20, 15, 0],
    [90, -1, 20, 63, 42],
  ] as const)('scroll from %s by %s (room %s, total %s) → %s', (top, by, room, total, want) => {
    expect(scrolled(top, by, room, total)).toBe(want);
  });

  test('scroll moves the pager in the pager and the verdict area on the exercise screen', () => {
    const paged = run([{ type: 'show-pager', kind: 'lesson', lines: ['a', 'b', 'c'] }, { type: 'scroll', by: 1, room: 2, total: 3 }]);
    expect([paged.view, paged.pager?.top, paged.verdictTop]).toEqual(['pager', 1, 0]);
    const closed = watchReducer(paged, { type: 'close' });
    expect([closed.view, closed.pager]).toEqual(['exercise', undefined]);
    const verdictArea = run([{ type: 'verdict', verdict: verdict('failed') }, { type: 'scroll', by: 'page-down', room: 10, total: 30 }]);
    expect(verdictArea.verdictTop).toBe(10);
    // A new verdict starts at its top.
    expect(run([{ type: 'check-started' }, { type: 'verdict', verdict: verdict('passed') }], verdictArea).verdictTop).toBe(0);
  });

  test('a notice does not follow the learner into another view', () => {
    const s = run([{ type: 'hint' }, { type: 'hint' }]);
    expect(s.notice).toBe('That was the last hint; h shows them again.');
    expect(run([{ type: 'open-list' }], s).notice).toBeUndefined();
  });

  test('a reset asked from the list goes back to the list, either answer', () => {
    const asked = run([{ type: 'open-list' }, { type: 'ask-reset', name: 'gamma' }]);
    expect([asked.view, asked.resetTarget]).toEqual(['confirm-reset', 'gamma']);
    expect(watchReducer(asked, { type: 'close' }).view).toBe('list');
    expect(run([{ type: 'ask-reset', name: 'beta' }, { type: 'close' }]).view).toBe('exercise');
  });

  test('a deleted file is shown until a verdict arrives for the restored one', () => {
    const s = run([{ type: 'file-missing', missing: true }]);
    expect(s.fileMissing).toBe(true);
    expect(watchReducer(s, { type: 'verdict', verdict: verdict('failed') }).fileMissing).toBe(false);
  });
});

describe('notices', () => {
  test('a notice goes when the next check starts; a kept one outlives that first check only', () => {
    const plain = run([{ type: 'notice', text: 'That was the last hint.' }, { type: 'check-started' }]);
    expect(plain.notice).toBeUndefined();
    const kept = run([{ type: 'notice', text: 'Opening your workspace in ./async-lessons/', keep: true }, { type: 'check-started' }, { type: 'verdict', verdict: verdict('failed') }]);
    expect(kept.notice).toBe('Opening your workspace in ./async-lessons/');
    expect(watchReducer(kept, { type: 'check-started' }).notice).toBeUndefined();
  });
});
