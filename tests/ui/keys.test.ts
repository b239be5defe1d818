import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { initialWatchState, watchReducer, type WatchEvent } from '../../src/core/watch-state.js';
import { handleKey, KEYS, keyHelp, plainCommands, type KeyActions } from '../../src/ui/keys.js';
import { repoRoot } from '../helpers.js';

const exercises = [{ name: 'a', topic: 't', file: 'exercises/t/a.ts', hints: ['h1'], rust: undefined, done: false }];

/** Presses keys against the table and records what they asked for. */
function press(keys: string[], events: WatchEvent[] = []) {
  let state = events.reduce(watchReducer, initialWatchState(exercises, 'a', 0));
  const asked: string[] = [];
  const act: KeyActions = {
    dispatch: (e) => {
      asked.push(e.type);
      state = watchReducer(state, e);
    },
    next: () => asked.push('next'),
    hint: () => asked.push('hint'),
    recheck: () => asked.push('recheck'),
    reset: () => asked.push('reset'),
    solution: () => asked.push('solution'),
    lesson: () => asked.push('lesson'),
    select: () => asked.push('select'),
    open: () => asked.push('open'),
    quit: () => asked.push('quit'),
  };
  for (const k of keys) handleKey({ state, scroll: { room: 10, total: 30 }, act }, k === 'esc' ? '' : k, { escape: k === 'esc' });
  return { asked, state };
}

test.each([
  ['q on the exercise screen quits', [], ['q'], ['quit']],
  ['q in the lesson closes it', [{ type: 'show-pager', kind: 'lesson', lines: ['x'] }], ['q'], ['close']],
  ['a key the pager does not list closes it', [{ type: 'show-pager', kind: 'solution', lines: ['x'] }], ['n'], ['close']],
  ['space and b page the lesson, j and k move a line', [{ type: 'show-pager', kind: 'lesson', lines: ['x'] }], [' ', 'b', 'j', 'k'], ['scroll', 'scroll', 'scroll', 'scroll']],
  ['space scrolls the verdict; o opens; ? the lesson', [], [' ', 'o', '?'], ['scroll', 'open', 'lesson']],
  ['x then n in the list: back in the list, where q quits', [{ type: 'open-list' }], ['x', 'n', 'q'], ['ask-reset', 'close', 'quit']],
] as Array<[string, WatchEvent[], string[], string[]]>)('%s', (_l, events, keys, want) => {
  expect(press(keys, events).asked).toEqual(want);
});

test('the README names every watch key the table has', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const paragraph = readme.slice(readme.indexOf('In watch mode the screen'), readme.indexOf('`NO_COLOR` is honoured'));
  for (const mode of ['exercise', 'list', 'pager'] as const) {
    for (const b of KEYS[mode].bindings) for (const k of b.key.split(' ')) expect(paragraph, `${mode}: ${k}`).toContain(`\`${k}\``);
  }
});

test('plain mode: its commands and their help come from the same table', () => {
  expect(plainCommands(initialWatchState(exercises, 'a', 0))).toBe('n next · h hint · r re-run · q quit');
  expect(keyHelp('exercise', { plain: true }).map((l) => l.trim()[0])).toEqual(['n', 'h', 'r', 'q']);
});
