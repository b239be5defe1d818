import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { banned, scan, scanSource, type Ban } from '../../src/harness/index.js';

// Each case: a ban, code that breaks it on its line 2, and how many findings it should give.
const cases: Array<[Ban, string, number]> = [
  ['any', 'let x: any = 1;', 1],
  ['any', 'function f(a: Array<any>): any { return a; }', 2],
  ['as', 'const n = (1 as unknown) as number;', 2],
  ['as', 'const n = <number>(<unknown>1);', 2],
  ['non-null', 'const m = new Map<string, number>(); const v = m.get("a")!;', 1],
  ['@ts-ignore', '// @ts-ignore\nconst a: number = "x";', 1],
  ['@ts-expect-error', 'const b = 1; /* @ts-expect-error */ const c: number = "y";', 1],
  ['@ts-nocheck', '// @ts-nocheck', 1],
  ['ts-directives', '// @ts-ignore\n// @ts-expect-error\n// @ts-nocheck', 3],
  ['private', 'class A { private x = 1; }', 1],
  ['private', 'class A { #x = 1; #m() { return this.#x; } get #g() { return 1; } }', 3],
  ['async', 'async function f() {}\nconst g = async () => 1;\nclass C { async m() {} }', 3],
  ['await', 'async function f(p: PromiseLike<number>) { await p; for await (const x of []) {} }', 2],
  ['Promise', 'const p: Promise<number> = Promise.resolve(1);', 2],
  ['setTimeout', 'setTimeout(() => {}, 1); globalThis.setTimeout(() => {}); globalThis["setTimeout"](() => {});', 3],
  ['queueMicrotask', 'queueMicrotask(() => {});', 1],
  ['import:vitest', 'import { vi } from "vitest";\nimport type { Mock } from "vitest";\nconst m = await import("vitest/config");', 2],
  ['import-type:vitest', 'import { vi } from "vitest";\nimport type { Mock } from "vitest";\nconst m = await import("vitest/config");', 3],
  ['import:node:timers', 'import { setTimeout as st } from "node:timers/promises";\nimport t from "timers";\nconst r = require("node:timers");', 3],
  ['import:timers', 'import { setImmediate } from "node:timers";', 1],
];

describe('scan finds each banned construct', () => {
  test.each(cases)('%s in %j', (ban, code, count) => {
    const found = scanSource(`// line 1\n${code}\n`, [ban]);
    expect(found, JSON.stringify(found, null, 2)).toHaveLength(count);
    expect(found[0]!.line).toBe(2);
    expect(found.every((f) => f.message.startsWith(`line ${f.line}: `))).toBe(true);
  });
});

const allBans: Ban[] = ['any', 'as', 'non-null', 'ts-directives', 'private', 'async', 'await', 'Promise', 'setTimeout', 'queueMicrotask', 'import:vitest', 'import:node:timers'];

describe('scan stays quiet on clean code', () => {
  test.each([
    ['as const', 'const xs = [1, 2] as const; const y = <const>["a"];'],
    ['words in comments and strings', '// uses await, Promise and setTimeout; @ts-ignore is banned\nconst s = "any as await Promise setTimeout import vitest";'],
    ['a prose mention of a directive', '/* we never write @ts-ignore here */ const a = 1;'],
    ['similar names', 'type P = PromiseLike<number>; const mySetTimeout = 1; const anyway = 2;'],
    ['satisfies and unknown', 'const v = { a: 1 } satisfies { a: number }; let u: unknown;'],
    ['a public field and a parameter named async-ish', 'class A { x = 1; isAsync = false; }'],
    ['other imports', 'import { readFileSync } from "node:fs"; import v from "vitest-like";'],
  ])('%s', (_label, code) => {
    expect(scanSource(code, allBans)).toEqual([]);
  });
});

describe('scan reads files and formats messages', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'harness-ast-'));
  const file = path.join(dir, 'minirt.ts');
  writeFileSync(file, 'export function run() {\n  return 1;\n}\n\nexport async function later() {\n  await null;\n}\n');

  test('from a URL or a path, with the exercise\'s reason in the message', () => {
    const why = 'this exercise builds the executor by hand';
    expect(banned(pathToFileURL(file), ['await'], why)).toEqual([`line 6: uses \`await\` — ${why}`]);
    expect(scan(file, ['async', 'await']).map((f) => [f.line, f.column, f.ban])).toEqual([
      [5, 8, 'async'],
      [6, 3, 'await'],
    ]);
  });

  test('default reasons explain the ban', () => {
    const [f] = scanSource('const a = 1 as number;', ['as']);
    expect(f!.message).toMatch(/^line 1: uses an `as` cast \(`1 as number`\) — a cast makes TypeScript trust you/);
  });

  test('a missing file is a clear error', () => {
    expect(() => scan(path.join(dir, 'nope.ts'), ['any'])).toThrow(/scan: cannot read .*nope\.ts/);
  });
});
