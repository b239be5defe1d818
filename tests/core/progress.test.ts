import { describe, expect, test } from 'vitest';
import { currentExercise, doneCount, emptyProgress, entryOf, nextPending, progressReducer, type Progress } from '../../src/core/progress.js';

const order = ['a', 'b', 'c'];
const withDone = (...names: string[]): Progress =>
  names.reduce((p, name) => progressReducer(p, { type: 'mark-done', name }), emptyProgress());

describe('nextPending', () => {
  test.each([
    [[], undefined, 'a'],
    [['a'], undefined, 'b'],
    [['a'], 'a', 'b'],
    [['b'], 'a', 'c'],
    [['c'], 'b', 'a'],
    [['a', 'b', 'c'], 'a', undefined],
    [['a', 'c'], 'c', 'b'],
  ] as const)('done %j, after %s → %s', (done, after, expected) => {
    expect(nextPending(withDone(...done), order, after)).toBe(expected);
  });
});

describe('progressReducer', () => {
  test('checked counts attempts and keeps the first pass time', () => {
    let p = emptyProgress();
    p = progressReducer(p, { type: 'checked', name: 'a', passed: false, at: 't1' });
    p = progressReducer(p, { type: 'checked', name: 'a', passed: true, at: 't2' });
    p = progressReducer(p, { type: 'checked', name: 'a', passed: true, at: 't3' });
    expect(entryOf(p, 'a')).toEqual({ status: 'pending', attempts: 3, hintsSeen: 0, firstPassAt: 't2' });
  });

  test('hints are counted up to the number there are', () => {
    let p = emptyProgress();
    for (let i = 0; i < 5; i++) p = progressReducer(p, { type: 'hint-shown', name: 'a', count: 2 });
    expect(entryOf(p, 'a').hintsSeen).toBe(2);
  });

  test('unknown exercise names are kept', () => {
    const p = progressReducer(withDone('gone'), { type: 'mark-done', name: 'a' });
    expect(Object.keys(p.exercises).sort()).toEqual(['a', 'gone']);
    expect(doneCount(p, order)).toBe(1);
  });

  test('does not mutate its input', () => {
    const p = emptyProgress();
    progressReducer(p, { type: 'mark-done', name: 'a' });
    expect(p).toEqual(emptyProgress());
  });
});

describe('currentExercise', () => {
  test.each([
    [null, [], 'a'],
    ['b', [], 'b'],
    ['gone', ['a'], 'b'],
    [null, ['a', 'b', 'c'], 'a'],
  ] as const)('recorded %s, done %j → %s', (current, done, expected) => {
    const p = { ...withDone(...done), current };
    expect(currentExercise(p, order)).toBe(expected);
  });
});
