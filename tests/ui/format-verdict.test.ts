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

const failing = (message: string, diff?: string): Verdict => ({
  exercise: 'x',
  status: 'failed',
  durationMs: 1,
  console: [],
  warnings: [],
  tests: [{ name: 't', state: 'failed', durationMs: 1, message, ...(diff ? { diff } : {}) }],
});

test("vitest's filler is trimmed where the check's own message says it", () => {
  const bool = formatVerdict(failing('50 fetches should be done after 100 ms (seed 7).: expected false to be true // Object.is equality', '- Expected\n+ Received\n\n- true\n+ false'), plainStyle);
  expect(bool.slice(1)).toEqual(['  ✗ t', '    50 fetches should be done after 100 ms (seed 7).']);
  // A value the message already names: the one-value diff goes, the values stay.
  const value = formatVerdict(failing('All 50 should be in flight: expected 1 to be 50 // Object.is equality', '- Expected\n+ Received\n\n- 50\n+ 1'), plainStyle);
  expect(value.slice(1)).toEqual(['  ✗ t', '    All 50 should be in flight: expected 1 to be 50']);
  // A diff that says more than the message is kept.
  const objects = formatVerdict(failing('expected { a: 1 } to deeply equal { a: 2 }', '- Expected\n+ Received\n\n  {\n-   "a": 2,\n+   "a": 1,\n  }'), plainStyle);
  expect(objects).toContain('    -   "a": 2,');
  // Without a message of its own, vitest's words are all there is: they stay.
  expect(formatVerdict(failing('expected false to be true // Object.is equality', '- true\n+ false'), plainStyle)).toContain('    expected false to be true');
});

test('type errors beside a failing run come right under the headline, two at most', () => {
  const frame = { file: 'exercises/t/x.ts', line: 2, column: 9, lines: [{ n: 2, text: '  const sum: number = `${a}${b}`;' }] };
  const v: Verdict = { ...failing('add(1, 2) should be 3'), typeErrors: [1, 2, 3].map((i) => ({ code: 2322, message: `Type 'string' is not assignable to type 'number'. (${i})`, frame })) };
  for (const all of [false, true]) {
    const text = formatVerdict(v, plainStyle, { all });
    expect(text[1]).toBe('  TypeScript finds 3 errors in your code, which may be why:');
    expect(text.indexOf('  ✗ t')).toBeGreaterThan(text.indexOf('  … 1 more (your editor shows them all)'));
    expect(text.filter((l) => l.startsWith('  TS2322'))).toHaveLength(2);
    expect(text).toContain('  at exercises/t/x.ts:2:9');
  }
  expect(formatVerdict(failing('m'), plainStyle).some((l) => l.includes('TypeScript finds'))).toBe(false);
});

test("a TypeScript message's chain comes as lines of their own, never as one line with newlines in it", () => {
  const message = "Type 'Promise<T>[]' is not assignable to type 'T[]'.\n  Type 'Promise<T>' is not assignable to type 'T'.";
  const typeError: Verdict = { exercise: 'x', status: 'type-error', durationMs: 1, tests: [], console: [], warnings: [], errors: [{ code: 2322, message }] };
  const beside: Verdict = { ...failing('m'), typeErrors: [{ code: 2322, message }] };
  for (const v of [typeError, beside]) {
    const text = formatVerdict(v, plainStyle);
    expect(text.some((l) => l.includes('\n'))).toBe(false);
    expect(text).toContain("      Type 'Promise<T>' is not assignable to type 'T'.");
  }
});
