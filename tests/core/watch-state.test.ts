import { describe, expect, test } from 'vitest';
import { initialWatchState, listRows, watchReducer, type WatchEvent, type WatchState } from '../../src/core/watch-state.js';
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

  test('h reveals one hint at a time, then says it was the last', () => {
    const s = run([{ type: 'hint' }]);
    expect(s.hintsShown).toBe(1);
    const t = watchReducer(s, { type: 'hint' });
    expect(t.hintsShown).toBe(1);
    expect(t.notice).toBe('That was the last hint.');
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

  test('a deleted file is shown until a verdict arrives for the restored one', () => {
    const s = run([{ type: 'file-missing', missing: true }]);
    expect(s.fileMissing).toBe(true);
    expect(watchReducer(s, { type: 'verdict', verdict: verdict('failed') }).fileMissing).toBe(false);
  });
});
