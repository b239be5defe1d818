import { expect, test } from 'vitest';
import { instrumentLoops } from '../../src/node/engine/host/spin-probe.js';

const probes = (code: string) => [...(instrumentLoops(code, '/a/x.ts') ?? '').matchAll(/__asyncLessonsSpin\("\/a\/x\.ts", (\d+), (\d+), "([^"]*)"\)/g)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);

test('every kind of loop gets a probe naming its line, column and function; every line stays where it was', () => {
  const code = [
    'export function add(xs: number[]): number {',
    '  let n = 0;',
    '  for (const x of xs) n += x;',
    '  while (n > 0) { n--; }',
    '  do { n++; } while (n < 3);',
    '  for (let i = 0; i < 3; i++) for (const k in {}) n += i;',
    '  return n;',
    '}',
    'const run = async () => { for (;;) await null; };',
    'class Poller { poll() { while (true) {} } }',
    'let s = 0;',
    'while (s >= 0) s++;',
  ].join('\n');
  expect(probes(code)).toEqual(['3:3 add', '4:3 add', '5:3 add', '6:3 add', '6:31 add', '9:27 run', '10:25 poll', '12:1 (top level)']);
  const out = instrumentLoops(code, '/a/x.ts')!;
  expect(out.split('\n').length).toBe(code.split('\n').length);
  out.split('\n').forEach((line, i) => expect(line.replace(/__asyncLessonsSpin\("[^"]*", \d+, \d+, "[^"]*"\);/g, '').replace(/[{}]/g, '')).toBe(code.split('\n')[i]!.replace(/[{}]/g, '')));
});

test('a file without loops is left alone', () => {
  expect(instrumentLoops('export const f = (x: number) => x * 2;\n', '/a/x.ts')).toBeUndefined();
});
