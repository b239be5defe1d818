import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderMarkdown } from '../../src/ui/markdown.js';
import { colourStyle, plainStyle } from '../../src/ui/style.js';
import { width } from '../../src/ui/text.js';
import { repoRoot } from '../helpers.js';

const plain = (md: string, cols = 60) => renderMarkdown(md, cols, { style: plainStyle });
const NOTE = /\(wider\s+than\s+the\s+screen:\s+↪\s+continues\s+a\s+line\)/;
const counts = (ws: string[]) => ws.reduce((m, w) => m.set(w, (m.get(w) ?? 0) + 1), new Map<string, number>());
const words = (text: string) => (text.match(/[\p{L}\p{N}]+/gu) ?? []).sort();

describe('renderMarkdown', () => {
  test('paragraphs are reflowed to the width; a hard break stays a break', () => {
    expect(plain('one two\nthree four five six seven eight nine ten eleven twelve thirteen', 30)).toEqual([
      'one two three four five six',
      'seven eight nine ten eleven',
      'twelve thirteen',
    ]);
    expect(plain('first line  \nsecond line')).toEqual(['first line', 'second line']);
  });

  test('headings stand out without colour (a rule under the top two levels)', () => {
    expect(plain('# Title\n\ntext\n\n## Part\n\n### Detail')).toEqual(['Title', '═════', '', 'text', '', 'Part', '────', '', 'Detail']);
    expect(renderMarkdown('# Title', 60, { style: colourStyle })[0]).toBe(colourStyle.bold('Title'));
  });

  test('emphasis, code and links; no markup characters are left', () => {
    const [line] = plain('Some **bold**, *soft*, `poll()` and [the book](https://rust-lang.github.io/async-book/).', 200);
    expect(line).toBe('Some bold, soft, poll() and the book (https://rust-lang.github.io/async-book/).');
    const linked = renderMarkdown('[the book](https://x.example/)', 60, { style: plainStyle, hyperlink: (url, text) => `<${url}|${text}>` });
    expect(linked).toEqual(['<https://x.example/|the book>']);
  });

  test('lists get marks and hanging indents; nested lists indent further', () => {
    expect(plain('- alpha beta gamma delta epsilon zeta\n- two\n  - inner\n\n1. first\n2. second', 24)).toEqual([
      '• alpha beta gamma delta',
      '  epsilon zeta',
      '• two',
      '  • inner',
      '',
      '1. first',
      '2. second',
    ]);
  });

  test('a code block keeps its shape; one wider than the screen is broken at the edge, never cut', () => {
    expect(plain('```\n  a --> b\n  |     |\n```')).toEqual(['    a --> b', '    |     |']);
    const wide = `${'x'.repeat(30)}END`;
    const out = plain(`\`\`\`\n${wide}\n\`\`\``, 22);
    const note = out.findIndex((l) => /continues a line\)$/.test(l));
    expect(out.slice(0, note + 1).join(' ')).toMatch(NOTE);
    expect(out.slice(note + 1).join('').replace(/[\s↪]/g, '')).toBe(wide);
    for (const l of out) expect(width(l)).toBeLessThanOrEqual(22);
  });

  test('a table is aligned when it fits, and one record per row when it does not', () => {
    const md = '| exercise | the idea |\n|---|---|\n| `join` | poll both halves |\n| `select` | drop the loser |';
    expect(plain(md, 60)).toEqual(['exercise │ the idea', '─────────┼─────────────────', 'join     │ poll both halves', 'select   │ drop the loser']);
    expect(plain(md, 20)).toEqual(['exercise: join', '  the idea: poll', '  both halves', '', 'exercise: select', '  the idea: drop the', '  loser']);
  });

  test('every word of every shipped lesson is on screen at 80 and 60 columns, and no line is wider', async () => {
    const dirs = (await readdir(path.join(repoRoot, 'exercises'), { withFileTypes: true })).filter((d) => d.isDirectory());
    let lessons = 0;
    for (const d of dirs) {
      const source = await readFile(path.join(repoRoot, 'exercises', d.name, 'README.md'), 'utf8').catch(() => undefined);
      if (source === undefined) continue;
      lessons += 1;
      // What a reader should see: the text without fences' info strings and table rules.
      const expected = words(source.replace(/^```.*$/gm, '').replace(/^\|?[\s:|-]+\|?$/gm, '').replace(/`/g, ''));
      for (const cols of [80, 60]) {
        const out = plain(source, cols);
        for (const l of out) expect(width(l), `${d.name} at ${cols}: ${l}`).toBeLessThanOrEqual(cols);
        // Nothing lost (a table too wide to align repeats its headers in each record, so more is fine).
        const shown = counts(words(out.join('\n').replace(new RegExp(NOTE, 'g'), '').replace(/\n {2}↪ /g, '')));
        const missing = [...counts(expected)].filter(([w, n]) => (shown.get(w) ?? 0) < n);
        expect(missing, `${d.name} at ${cols} columns`).toEqual([]);
      }
    }
    expect(lessons).toBeGreaterThanOrEqual(7);
  });
});
