import { lstat, mkdir, readlink, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { hasEditorLinks, linkEditorTypes } from '../../src/node/editor-types.js';
import { cli, copyOfMiniCourse, repoRoot, tempDir } from '../helpers.js';

test("setup links the editor's types to async-lessons' own copies: the workspace type-checks with no download", async () => {
  const dir = await tempDir();
  const r = await cli(['init', '--course', await copyOfMiniCourse(), '--yes'], { cwd: dir });
  expect(r.code, r.all).toBe(0);
  expect(r.stdout).toMatch(/node_modules\/ +links to the types your editor uses \(@types\/node, vitest, typescript\).*nothing downloaded/);
  for (const name of ['@types/node', 'vitest', 'typescript']) {
    const at = path.join(dir, 'node_modules', name);
    expect((await lstat(at)).isSymbolicLink(), name).toBe(true);
    expect(await realpath(at)).toBe(await realpath(path.join(repoRoot, 'node_modules', name)));
  }
  // What an editor does with the workspace's tsconfig: every import of checks and exercises resolves.
  const tsc = await execa(process.execPath, [path.join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir, '--noEmit'], { reject: false });
  expect(tsc.stderr).toBe('');
  expect([0, 2]).toContain(tsc.exitCode);
  expect(tsc.stdout).not.toMatch(/Cannot find (module|type definition|name 'describe')/);
});

test('stale links are made again; a real install in the workspace is left alone', async () => {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'node_modules/@types'), { recursive: true });
  await symlink(path.join(dir, 'gone/vitest'), path.join(dir, 'node_modules/vitest'), 'dir');
  await mkdir(path.join(dir, 'node_modules/typescript'));
  await writeFile(path.join(dir, 'node_modules/typescript/package.json'), '{"name":"typescript","version":"5.9.3"}');
  expect(await hasEditorLinks(dir)).toBe(true);
  const result = await linkEditorTypes(dir);
  expect(result.linked.sort()).toEqual(['@types/node', 'vitest']);
  expect(result.skipped).toEqual([{ name: 'typescript', why: 'installed in the workspace already' }]);
  expect(await readlink(path.join(dir, 'node_modules/vitest'))).toBe(path.join(repoRoot, 'node_modules/vitest'));
  expect((await lstat(path.join(dir, 'node_modules/typescript'))).isDirectory()).toBe(true);
  // Again: nothing to do, nothing changes.
  expect((await linkEditorTypes(dir)).linked.sort()).toEqual(['@types/node', 'vitest']);
});
