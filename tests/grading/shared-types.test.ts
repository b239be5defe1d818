import { afterAll, describe, expect, test } from 'vitest';
import path from 'node:path';
import { TypeService } from '../../src/node/engine/types/type-check.js';
import { SharedTypes } from '../../src/node/engine/client/types-client.js';
import type { TypeFile } from '../../src/node/engine/shared/protocol.js';
import { repoRoot } from '../helpers.js';

/*
 * One type checker for every submission of a grading job: each submission checks in its own scope,
 * all its exercises answered from one program, and its files leave the checker when it is done.
 */

const file = (scope: string, name: string, content: string, extra: Partial<TypeFile> = {}): TypeFile => ({ path: path.join(scope, name), display: name, content, learner: true, fixture: false, ...extra });

describe('a type service shared by scopes', () => {
  const service = new TypeService();
  const a = '/graded/area-a';
  const b = '/graded/area-b';
  const aFiles = [file(a, 'one.ts', 'export const n: number = "no";\n'), file(a, 'two.ts', 'export const s: string = "yes";\n')];
  const bFiles = [file(b, 'one.ts', 'export const n: number = 1;\n')];

  test('a scope prepared once answers each exercise from the same program, with its own diagnostics', () => {
    service.prepare(a, aFiles);
    const program = (service as unknown as { ls: { getProgram(): unknown } }).ls.getProgram();
    const one = service.check([aFiles[0]!], a);
    const two = service.check([aFiles[1]!], a);
    expect((service as unknown as { ls: { getProgram(): unknown } }).ls.getProgram()).toBe(program);
    expect(one.map((d) => [d.code, d.frame?.file])).toEqual([[2322, 'one.ts']]);
    expect(two).toEqual([]);
    // The same answer as a checker of its own would give.
    expect(new TypeService().check([aFiles[0]!])).toEqual(one);
  });

  test("another scope sees none of the first one's files, and a forgotten scope leaves nothing", () => {
    expect(service.check(bFiles, b)).toEqual([]);
    const own = (service as unknown as { own: Map<string, unknown> }).own;
    expect([...own.keys()].filter((k) => k.startsWith(a))).toHaveLength(2);
    service.forget(a);
    expect([...own.keys()].filter((k) => k.startsWith(a))).toEqual([]);
    expect([...own.keys()].filter((k) => k.startsWith(b))).toHaveLength(1);
  });

  test('forgetting a scope lets go of its program at once, not at the next scope\'s first check', () => {
    // getCurrentProgram: the program the service holds now, without bringing it up to date.
    const ls = (service as unknown as { ls: { getCurrentProgram(): { getSourceFiles(): ReadonlyArray<{ fileName: string }> } | undefined } }).ls;
    expect(service.check(bFiles, b)).toEqual([]);
    expect(ls.getCurrentProgram()!.getSourceFiles().filter((f) => f.fileName.startsWith(b))).toHaveLength(1);
    service.forget(b);
    expect(ls.getCurrentProgram()!.getSourceFiles().filter((f) => f.fileName.startsWith('/graded/'))).toEqual([]);
  });
});

describe('SharedTypes', () => {
  const shared = new SharedTypes(path.join(repoRoot, 'dist/check-types.js'));
  afterAll(() => shared.close());

  test('one thread serves every scope; a failed one is replaced', async () => {
    const first = shared.get();
    const r = await first.check([file('/graded/x', 'a.ts', 'export const n: number = "no";\n')], '/graded/x');
    expect('diagnostics' in r && r.diagnostics.map((d) => d.code)).toEqual([2322]);
    await shared.forget('/graded/x');
    expect(shared.get()).toBe(first);
    await first.close();
    expect(shared.get()).not.toBe(first);
  });
});
