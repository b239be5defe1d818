import { stripVTControlCharacters } from 'node:util';
import { expect, test } from 'vitest';
import { fit, reflow, width, wrapLine } from '../../src/ui/text.js';

const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
const link = (s: string) => `\u001b]8;;file:///w/${s}\u0007${s}\u001b]8;;\u0007`;

test('width counts columns: wide characters two, colour codes and links none', () => {
  expect(width('abc')).toBe(3);
  expect(width('日本語')).toBe(6);
  expect(width('🚀')).toBe(2);
  expect(width(red('abc'))).toBe(3);
  expect(width(link('exercises/a.ts'))).toBe(14);
});

test('wrapLine breaks at spaces, keeps the indent plus two, and never loses a letter', () => {
  const line = '    hello world this is a long line that should wrap nicely at twenty';
  const out = wrapLine(line, 20);
  expect(out).toEqual(['    hello world this', '      is a long line', '      that should', '      wrap nicely at', '      twenty']);
  expect(out.join(' ').replace(/\s+/g, ' ').trim()).toBe(line.trim());
  // A word wider than the line is broken inside it.
  expect(wrapLine('x'.repeat(45), 20).map((l) => l.trim().length)).toEqual([20, 18, 7]);
});

test('wide characters wrap by columns, not by length', () => {
  const out = wrapLine('日本語のテキストはとても長いです日本語のテキスト', 20);
  expect(out.every((l) => width(l) <= 20)).toBe(true);
  expect(out.join('').replace(/\s/g, '')).toBe('日本語のテキストはとても長いです日本語のテキスト');
});

test('a coloured line wraps with its colour closed at each break and opened again', () => {
  const out = wrapLine(`${red('red text that is long enough to wrap')} and more plain`, 20);
  expect(out.every((l) => width(l) <= 20)).toBe(true);
  expect(out[0]).toBe('\u001b[31mred text that is\u001b[0m');
  expect(out[1]!.startsWith('\u001b[31m')).toBe(true);
  expect(stripVTControlCharacters(out.join(' ')).replace(/\s+/g, ' ')).toBe('red text that is long enough to wrap and more plain');
});

test('fit cuts to the width with "…" and closes a link it cut', () => {
  expect(fit('日本語のテキストはとても長いです', 9)).toBe('日本語の…');
  const cut = fit(link('exercises/00_intro/a_long_name.ts'), 12);
  expect(width(cut)).toBe(12);
  expect(cut.endsWith('…\u001b]8;;\u0007')).toBe(true);
  expect(fit('short', 10)).toBe('short');
});

test('reflow joins a paragraph\'s lines, keeps paragraphs apart and breaks only at spaces', () => {
  const text = "Welcome to async-lessons: asynchronous programming as Rust's async book lays it out.\n\nEach exercise is a TypeScript file with a goal,\nTODOs, and the Rust it mirrors.";
  for (const cols of [40, 60, 80]) {
    const lines = reflow(text, cols);
    expect(lines.every((l) => width(l) <= cols)).toBe(true);
    expect(lines.join(' ').split(/\s+/).filter(Boolean)).toEqual(text.split(/\s+/));
    expect(lines.filter((l) => l === '')).toHaveLength(1);
  }
  expect(reflow('a-very-long-word-that-cannot-fit', 10).every((l) => width(l) <= 10)).toBe(true);
});
