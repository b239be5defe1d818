import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { banned, scanSource, type Ban } from '../../src/harness/index.js';

// A course laid out as in a run folder: the learner's file in a topic folder beside `_lib`.
const root = mkdtempSync(path.join(tmpdir(), 'harness-ast-modules-'));
mkdirSync(path.join(root, '_lib'));
mkdirSync(path.join(root, '04_runtimes'));
for (const f of ['runtime.ts', 'future.ts', 'join.ts']) writeFileSync(path.join(root, '_lib', f), 'export const x = 1;\n');
const file = path.join(root, '04_runtimes', 'block_on.ts');
const scanHere = (code: string, bans: Ban[]) => scanSource(code, bans, { fileName: file });

const RUNTIME: Ban[] = ['import:../_lib/runtime'];

describe('a ban on a relative module holds in every spelling', () => {
  test.each([
    ['the plain spelling', `import { run } from '../_lib/runtime';`],
    ['a detour through ./', `import { run } from './../_lib/runtime';`],
    ['the .ts extension', `import { run } from '../_lib/runtime.ts';`],
    ['the .js extension', `import { run } from '../_lib/runtime.js';`],
    ['a doubled slash', `import { run } from '../_lib//runtime';`],
    ['a detour out and back', `import { run } from '../04_runtimes/../_lib/runtime';`],
    ['a query string', `import { run } from '../_lib/runtime.ts?v=2';`],
    ['an absolute path', `import { run } from '${path.join(root, '_lib/runtime.ts')}';`],
    ['a file URL', `import { run } from 'file://${path.join(root, '_lib/runtime.ts')}';`],
    ['a default and namespace import', `import * as rt from '../_lib/runtime';`],
    ['a side-effect import', `import '../_lib/runtime';`],
    ['export * from', `export * from '../_lib/runtime';`],
    ['export { x } from', `export { x as run } from './../_lib/runtime.js';`],
    ['export * as ns from', `export * as rt from '../_lib/runtime';`],
    ['dynamic import()', `const rt = await import('../_lib/runtime.js');`],
    ['import() of a concatenation', `const rt = await import('../_lib/' + 'runtime');`],
    ['import() of a template', "const rt = await import(`../_lib/${'run'}time`);"],
    ['import() of a const', `const where = '../_lib/'; const name = where + 'runtime'; const rt = await import(name);`],
    ['import() of a joined array', `const rt = await import(['..', '_lib', 'runtime'].join('/'));`],
    ['import() of a URL', `const rt = await import(new URL('../_lib/runtime.ts', import.meta.url).href);`],
    ['import.meta.resolve then import', `const u = import.meta.resolve('../_lib/runtime'); const rt = await import(u);`],
    ['require', `const rt = require('../_lib/runtime');`],
    ['module.require', `const rt = module.require('./../_lib/runtime');`],
    ['require.resolve', `const where = require.resolve('../_lib/runtime');`],
    ['createRequire(…)(…)', `const rt = createRequire(import.meta.url)('../_lib/runtime');`],
    ['a name bound to createRequire', `const load = createRequire(import.meta.url); const rt = load('../_lib/runtime.js');`],
    ['import x = require', `import rt = require('../_lib/runtime');`],
    ['a path in any string', `const rt = ['../_lib/runtime'].map(loadSomehow);`],
  ])('%s', (_label, code) => {
    const found = scanHere(code, RUNTIME);
    expect(found.length, JSON.stringify(found, null, 2)).toBeGreaterThan(0);
    expect(found.every((f) => f.ban === 'import:../_lib/runtime' && f.line === 1)).toBe(true);
  });

  test('the message names what was written and what it is', () => {
    const [f] = scanHere(`export * from './../_lib/runtime.js';`, RUNTIME);
    expect(f!.message).toBe('line 1: re-exports `./../_lib/runtime.js` (the same module as `../_lib/runtime`) — this exercise does not allow it');
  });

  test('a ban on a folder covers every file in it', () => {
    const found = scanHere(`import { a } from '../_lib/future';\nexport * from '../_lib/join.js';\nimport '../_lib';`, ['import:../_lib']);
    expect(found.map((f) => f.line)).toEqual([1, 2, 3]);
  });

  test('a link to the banned file is the banned file', () => {
    symlinkSync(path.join(root, '_lib'), path.join(root, '04_runtimes', 'lib-link'));
    expect(scanHere(`import { run } from './lib-link/runtime';`, RUNTIME)).toHaveLength(1);
  });

  test('other modules, and other files with similar names, stay allowed', () => {
    const code = `import { Pending } from '../_lib/future';\nimport { x } from '../_lib/runtime_types';\nimport { y } from './runtime';\nimport { z } from 'runtime';\nconst s = 'runtime';`;
    expect(scanHere(code, RUNTIME)).toEqual([]);
  });
});

describe('type-only imports', () => {
  const code = `import type { Runtime } from '../_lib/runtime';\nimport { type Spawn } from '../_lib/runtime.js';\nexport type { Runtime } from '../_lib/runtime';\nlet r: import('../_lib/runtime').Runtime;`;

  test('erase before the code runs, so `import:` allows them', () => {
    expect(scanHere(code, RUNTIME)).toEqual([]);
  });

  test('are banned by `import-type:`', () => {
    expect(scanHere(code, ['import-type:../_lib/runtime']).map((f) => f.line)).toEqual([1, 2, 3, 4]);
  });

  test('a value import mixed with a type import is a value import', () => {
    expect(scanHere(`import { type Runtime, run } from '../_lib/runtime';`, RUNTIME)).toHaveLength(1);
  });
});

describe('loads the scan cannot follow are reported while a module ban is active', () => {
  test.each([
    ['import() of a variable', `export async function f(name: string) { return import(name); }`, /worked out at run time \(`name`\)/],
    ['require of a computed name', `const parts = ['..', '_lib', 'runtime']; let p = parts.join('/'); const rt = require(p);`, /worked out at run time/],
    ['node:module', `import { createRequire } from 'node:module';`, /imports `node:module`, which can load any file/],
    ['node:vm', `import vm from 'vm';`, /imports `vm`/],
    ['eval', `const rt = eval('imp' + 'ort("../_lib/runtime")');`, /uses `eval`/],
    ['new Function', `const load = new Function('s', 'return import(s)');`, /uses `Function`/],
    ['process.getBuiltinModule', `const m = process.getBuiltinModule('module');`, /uses `getBuiltinModule`/],
    ['import.meta.glob', `const all = import.meta.glob('../_lib/*.ts', { eager: true });`, /uses `import\.meta\.glob`, which loads every file its pattern matches/],
  ])('%s', (_label, code, message) => {
    const found = scanHere(code, RUNTIME);
    expect(found.map((f) => f.message).join('\n')).toMatch(message);
  });

  test('but not when no module is banned', () => {
    expect(scanHere(`export async function f(name: string) { return import(name); }`, ['await'])).toEqual([]);
  });
});

describe('bare module bans keep working', () => {
  test.each([
    ['node:timers', `import { setTimeout } from 'timers';`],
    ['timers', `import { setTimeout } from 'node:timers/promises';`],
    ['node:timers', `const t = process.getBuiltinModule('node:timers');`],
    ['node:timers', `const t = await import('node:' + 'timers');`],
    ['vitest', `const { vi } = await import('vitest');`],
    ['async-lessons', `export * from 'async-lessons/harness';`],
  ])('import:%s against %j', (mod, code) => {
    expect(scanHere(code, [`import:${mod}`])).toHaveLength(1);
  });

  test('a bare ban does not report computed loads of other modules as banned files', () => {
    expect(scanHere(`import { readFileSync } from 'node:fs';\nimport v from 'vitest-like';`, ['import:vitest', 'import:node:timers'])).toEqual([]);
  });
});

describe("bans follow the learner's own helper files", () => {
  const dir = path.join(root, '05_helpers');
  mkdirSync(path.join(dir, 'parts'), { recursive: true });
  const main = path.join(dir, 'quiz.ts');
  writeFileSync(main, `import { run } from './helper';\nimport { Pending } from '../_lib/future';\nexport { run, Pending };\n`);
  writeFileSync(path.join(dir, 'helper.ts'), `export * from './parts/deeper.js';\n`);
  writeFileSync(path.join(dir, 'parts', 'deeper.ts'), `export { x as run } from '../../_lib/runtime';\n`);

  test('a banned re-export two files away is found, resolved from the exercise file, and named by file', () => {
    expect(banned(main, RUNTIME)).toEqual([
      "parts/deeper.ts, line 1: re-exports `../../_lib/runtime` (the same module as `../_lib/runtime`) — this exercise does not allow it",
    ]);
  });

  test('files outside the folder (the course library) are not followed', () => {
    writeFileSync(path.join(root, '_lib', 'join.ts'), `export * from './runtime';\n`);
    const uses = path.join(dir, 'uses_join.ts');
    writeFileSync(uses, `import { x } from '../_lib/join';\nexport const y = x;\n`);
    expect(banned(uses, RUNTIME)).toEqual([]);
  });
});
