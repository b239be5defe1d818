import { expect, test } from 'vitest';
import { capLines, type Verdict } from '../../src/core/verdict.js';
import { formatVerdict } from '../../src/ui/format-verdict.js';
import { plainStyle } from '../../src/ui/style.js';

const passed = (console: string[]): Verdict => ({ exercise: 'x', status: 'passed', durationMs: 1, tests: [], console, warnings: [] });

test('console output: the last lines, and an honest count of what is not shown', () => {
  const many = capLines(Array.from({ length: 5000 }, (_, i) => `l${i}`));
  const text = formatVerdict(passed(many), plainStyle);
  expect(text).toContain('  (4980 earlier lines not shown; `async-lessons run --json` has the last 200)');
  expect(text.at(-1)).toBe('  │ l4999');
  expect(text.filter((l) => l.startsWith('  │'))).toHaveLength(20);
  const few = formatVerdict(passed(['a', 'b']), plainStyle);
  expect(few.filter((l) => l.includes('not shown'))).toEqual([]);
  expect(formatVerdict(passed(Array.from({ length: 30 }, (_, i) => `m${i}`)), plainStyle)).toContain('  (10 earlier lines not shown; `async-lessons run --json` has the last 30)');
});
