import { expect, test } from 'vitest';
import { wrappingCtx, type Ctx } from '../../src/commands/context.js';
import { plainStyle } from '../../src/ui/style.js';
import { width } from '../../src/ui/text.js';

const ctxWith = (columns: number | undefined, lines: string[]): Ctx => ({
  cwd: '/', env: {}, style: plainStyle, interactive: false, ...(columns ? { columns } : {}),
  print: (l = '') => lines.push(l), warn: () => {}, ask: async () => false, makeRunner: () => { throw new Error('unused'); },
});

test('set-up lists wrap at spaces to the terminal, and are left alone without one', () => {
  const long = '  node_modules/  links to the types your editor uses (@types/node, vitest, typescript), from async-lessons\' own copies: nothing downloaded';
  const at60: string[] = [];
  wrappingCtx(ctxWith(60, at60)).print(long);
  expect(at60.length).toBeGreaterThan(1);
  expect(at60.every((l) => width(l) <= 60)).toBe(true);
  expect(at60.slice(1).every((l) => l.startsWith('    '))).toBe(true);
  expect(at60.join(' ').split(/\s+/).filter(Boolean)).toEqual(long.split(/\s+/).filter(Boolean));
  const piped: string[] = [];
  wrappingCtx(ctxWith(undefined, piped)).print(long);
  expect(piped).toEqual([long]);
});
