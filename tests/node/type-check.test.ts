import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RunArea } from '../../src/node/engine/client/run-area.js';
import { TypeService, typeFiles } from '../../src/node/engine/types/type-check.js';
import { pathRewriter } from '../../src/node/engine/types/type-terms.js';
import { loadCourse, type LoadedCourse } from '../../src/node/course-loader.js';
import { miniCourse } from '../helpers.js';

let area: RunArea;
let loaded: LoadedCourse;
let dir: string;
const service = new TypeService();

beforeAll(async () => {
  area = await RunArea.create();
  loaded = await loadCourse(miniCourse);
  dir = await mkdtemp(path.join(os.tmpdir(), 'al-types-'));
  await mkdir(path.join(dir, '01_basics'));
});
afterAll(async () => {
  await area.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function diagnostics(source: string) {
  await writeFile(path.join(dir, '01_basics/type_error.ts'), source);
  const exercise = loaded.course.exercises.find((e) => e.name === 'type_error')!;
  // Shown as a workspace would show it: learner files under exercises/.
  const slot = await area.place(loaded.root, exercise, { dir, displayBase: path.dirname(dir) }, 'type_error');
  return service.check(typeFiles(slot));
}

async function check(source: string) {
  return (await diagnostics(source)).map((d) => [d.code, d.frame?.line]);
}

test.each([
  ['the solution', 'export function length(s: string): number {\n  return s.length;\n}\n', []],
  ['a wrong return type', 'export function length(s: string): string {\n  return String(s.length);\n}\n', [[2322, 4], [2349, 8]]],
  // Only expectTypeOf catches `any` (the assignment accepts it): it must resolve through the run
  // area's node_modules symlink, or it silently checks nothing.
  ['a return type loosened to any', 'export function length(s: string): any {\n  return s.length;\n}\n', [[2349, 8]]],
  ['a parameter loosened to unknown (the pinned TS2345 no longer fires)', 'export function length(s: unknown): number {\n  return String(s).length;\n}\n', [[2578, 11]]],
])('%s', async (_label, source, expected) => {
  expect(await check(source)).toEqual(expected);
});

test('a message naming a type from another file shows its workspace path, never the run folder', async () => {
  const source = "export const lib = import('../_lib/math');\nexport function length(s: string): number {\n  const n: number = lib;\n  return s.length + n;\n}\n";
  const [d] = await diagnostics(source);
  expect(d?.code).toBe(2322);
  expect(d?.message).toContain('import("exercises/_lib/math")');
  expect(d?.message).not.toContain(os.tmpdir());
  expect(d?.message).not.toContain('async-lessons-runs');
});

test.each([
  ['a return type loosened to any', 'export function length(s: string): any {\n  return s.length;\n}\n', 'expectTypeOf(length).returns: expected number, found `any`.'],
  ['a wrong return type', 'export function length(s: string): string {\n  return String(s.length);\n}\n', 'expectTypeOf(length).returns: expected number, found `string`.'],
])('an expectTypeOf failure (%s) first says what was expected and what was found, then the raw message', async (_label, source, line) => {
  const d = (await diagnostics(source)).find((x) => x.frame?.line === 8)!;
  const [first, ...raw] = d.message.split('\n');
  expect(first).toBe(line);
  expect(raw.join('\n')).toMatch(/has no call signatures/);
});

test('pathRewriter: learner files by their display path, the rest of the slot by exercises/, packages by name', () => {
  const slot = '/tmp/async-lessons-runs/area-1-x/k-abc/exercises';
  const rewrite = pathRewriter([
    { path: `${slot}/01_a/x.ts`, display: 'exercises/01_a/x.ts', content: '', learner: true, fixture: false },
    { path: `${slot}/01_a/x.types.ts`, display: 'exercises/01_a/x.types.ts', content: '', learner: false, fixture: true },
  ]);
  expect(rewrite(`Type 'import("${slot}/01_a/x").Waker' is not assignable to type 'import("${slot}/_lib/future").Waker'.`)).toBe(
    `Type 'import("exercises/01_a/x").Waker' is not assignable to type 'import("exercises/_lib/future").Waker'.`,
  );
  expect(rewrite(`'import("/home/me/.npm/_npx/1/node_modules/.pnpm/v@1/node_modules/expect-type/dist/index").Mismatch'`)).toBe(`'import("expect-type/dist/index").Mismatch'`);
  // A slot the file list does not name (another key) is still never shown.
  expect(rewrite('File /tmp/async-lessons-runs/area-1-x/k-zzz/exercises/02_b/y.ts is not a module.')).toBe('File exercises/02_b/y.ts is not a module.');
});
