import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { initialWatchState, watchReducer, type ScrollBy, type WatchState } from '../../src/core/watch-state.js';
import { renderMarkdown } from '../../src/ui/markdown.js';
import { layout } from '../../src/ui/screen.js';
import { plainStyle } from '../../src/ui/style.js';
import { width } from '../../src/ui/text.js';
import { repoRoot } from '../helpers.js';

const exercises = [{ name: 'one', topic: '00_intro', file: 'exercises/00_intro/one.ts', hints: [], rust: undefined, done: false }];
const lessons = readdirSync(path.join(repoRoot, 'exercises'))
  .filter((d) => !d.startsWith('_'))
  .map((d) => path.join('exercises', d, 'README.md'))
  .filter((f) => {
    try {
      return readFileSync(path.join(repoRoot, f)).length > 0;
    } catch {
      return false;
    }
  });

/**
 * Reads a pager the way a learner does, with one key again and again until the screen stops
 * changing, and returns every body line seen, by its position in the whole text.
 */
function readAll(lines: string[], size: { width: number; height: number }, by: ScrollBy, from: 'top' | 'end' = 'top', kind: 'lesson' | 'solution' = 'lesson') {
  const options = { ...size, style: plainStyle, spinner: '*', link: (f: string, t: string = f) => t };
  let s: WatchState = watchReducer(initialWatchState(exercises, 'one', 0), { type: 'show-pager', kind, lines });
  const seen = new Map<number, string>();
  const screens: string[][] = [];
  let first = layout(s, options).scroll!;
  if (from === 'end') s = watchReducer(s, { type: 'scroll', by: 'end', room: first.room, total: first.total });
  for (let i = 0; i < 1000; i++) {
    const drawn = layout(s, options);
    screens.push(drawn.lines);
    const { room, total } = drawn.scroll!;
    first = drawn.scroll!;
    // Header (name, path, blank), then `room` body lines, then the position line.
    drawn.lines.slice(3, 3 + room).forEach((l, j) => s.pager!.top + j < total && seen.set(s.pager!.top + j, l));
    const next = watchReducer(s, { type: 'scroll', by, room, total });
    if (next.pager!.top === s.pager!.top) break;
    s = next;
  }
  return { seen, total: first.total, screens };
}

// Nothing may be lost: the text as read, spaces aside, is the text of the file.
const letters = (text: string) => text.replace(/\s+/g, '');

describe.each([
  { width: 80, height: 23 },
  { width: 60, height: 19 },
])('every lesson, every line, at $width columns', (size) => {
  test.each(lessons)('%s, a page at a time (space), and back (b), and a line at a time (j)', (file) => {
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    const lines = text.split('\n');
    const forward = readAll(lines, size, 'page-down');
    expect(forward.seen.size).toBe(forward.total);
    // What a learner reads is the rendered lesson (tests/ui/markdown.test.ts: no word of it lost).
    const rendered = renderMarkdown(text, size.width, { style: plainStyle });
    expect(letters([...forward.seen.keys()].sort((a, b) => a - b).map((k) => forward.seen.get(k)).join('\n'))).toBe(letters(rendered.join('\n')));
    for (const screen of forward.screens) {
      expect(screen.length).toBeLessThanOrEqual(size.height);
      expect(screen.every((l) => width(l) <= size.width)).toBe(true);
      expect(screen.at(-1)).toMatch(/esc close/);
      expect(screen.some((l) => /^lines \d+–\d+ of \d+/.test(l))).toBe(true);
    }
    expect(readAll(lines, size, 'page-up', 'end').seen.size).toBe(forward.total);
    expect(readAll(lines, size, 1).seen.size).toBe(forward.total);
  });
});

test('the position line says where the page is', () => {
  const lines = Array.from({ length: 63 }, (_, i) => `line ${i + 1}`);
  const pages = readAll(lines, { width: 80, height: 23 }, 'page-down', 'top', 'solution').screens.map((l) => l.find((x) => x.startsWith('lines ')));
  expect(pages).toEqual(['lines 1–16 of 63 · more below', 'lines 17–32 of 63 · more below', 'lines 33–48 of 63 · more below', 'lines 48–63 of 63 · the end']);
});

test('a solution diff with lines wider than the screen is read whole', () => {
  const diff = ['@@ -1,3 +1,3 @@', `-  return ${'a + '.repeat(30)}b;`, `+  return ${'b + '.repeat(30)}a;`, ' }', '\tindented with a tab'];
  const { seen, total } = readAll(diff, { width: 60, height: 19 }, 'page-down', 'top', 'solution');
  const shown = [...seen.values()];
  expect(seen.size).toBe(total);
  expect(letters(shown.join(''))).toBe(letters(diff.join('')));
  expect(shown.every((l) => width(l) <= 60 && !l.includes('…'))).toBe(true);
});
