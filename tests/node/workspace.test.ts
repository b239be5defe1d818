import { cp, readFile, writeFile, mkdir, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type ts from 'typescript';
import { describe, expect, onTestFinished, test } from 'vitest';
import { RunArea } from '../../src/node/engine/client/run-area.js';
import { isUserError } from '../../src/core/errors.js';
import { courseFileProblems, loadCourse } from '../../src/node/course-loader.js';
import { formatProblem } from '../../src/core/course-parse.js';
import { exists, listFiles, sha256 } from '../../src/node/fs-utils.js';
import { findWorkspace, initWorkspace } from '../../src/node/workspace.js';
import { resetExercise, undoReset, updateNotice, updateWorkspace } from '../../src/node/workspace-ops.js';
import { copyOfMiniCourse, miniCourse, repoRoot, tempDir } from '../helpers.js';

describe('courseFileProblems', () => {
  test('reports files missing on disk and files on disk not in the manifest', async () => {
    const problems = (await courseFileProblems(await loadCourse(miniCourse))).map(formatProblem);
    expect(problems).toContain('exercise missing_on_disk: files: exercises/03_crashes/missing_on_disk.ts is missing on disk');
    expect(problems).toContain('exercise missing_on_disk: solution: solutions/03_crashes/missing_on_disk.ts is missing on disk');
    expect(problems.some((p) => p.startsWith('exercise not_in_manifest: manifest: exercises/03_crashes/not_in_manifest.ts is on disk'))).toBe(true);
    expect(problems).toHaveLength(5);
  });
});

describe('initWorkspace', () => {
  test('writes exercises, checks, lessons, placeholders, configs and remembers the course', async () => {
    const loaded = await loadCourse(miniCourse);
    const dir = await tempDir();
    const ws = await initWorkspace(dir, loaded);
    for (const f of ['exercises/01_basics/fails.ts', 'exercises/01_basics/fails.test.ts', 'exercises/01_basics/README.md', 'exercises/_lib/math.d.ts', 'package.json', 'tsconfig.json', '.gitignore', '.async-lessons/types/harness/index.d.ts']) {
      expect(await exists(path.join(dir, f)), f).toBe(true);
    }
    expect(await exists(path.join(dir, 'exercises/_lib/math.ts'))).toBe(false);
    expect(await readFile(path.join(dir, 'exercises/_lib/math.d.ts'), 'utf8')).toMatch(/export declare const answer = 42;/);
    expect(await readFile(path.join(dir, 'solutions/01_basics/fails.ts'), 'utf8')).toMatch(/appears here once/);
    expect(ws.meta.course).toEqual({ path: miniCourse });
    expect((await findWorkspace(path.join(dir, 'exercises', '01_basics')))?.root).toBe(dir);
  });

  test('refuses to overwrite anything, and writes nothing when it refuses', async () => {
    const loaded = await loadCourse(miniCourse);
    const dir = await tempDir();
    await mkdir(path.join(dir, 'exercises/01_basics'), { recursive: true });
    await writeFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'mine');
    const error = await initWorkspace(dir, loaded).catch((e: unknown) => e);
    expect(isUserError(error) && error.message).toMatch(/would overwrite 1 existing file: exercises\/01_basics\/fails.ts/);
    expect(await readFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'utf8')).toBe('mine');
    expect(await exists(path.join(dir, '.async-lessons'))).toBe(false);
  });

  test('refuses an existing workspace', async () => {
    const loaded = await loadCourse(miniCourse);
    const dir = await tempDir();
    await initWorkspace(dir, loaded);
    await expect(initWorkspace(dir, loaded)).rejects.toThrow(/already an async-lessons workspace/);
  });
});

describe('reset and undo-reset', () => {
  test('reset restores the starting file and keeps a backup that undo brings back', async () => {
    const loaded = await loadCourse(miniCourse);
    const dir = await tempDir();
    const ws = await initWorkspace(dir, loaded);
    const file = path.join(dir, 'exercises/01_basics/fails.ts');
    const pristine = await readFile(file, 'utf8');
    await writeFile(file, 'my attempt');
    await rm(path.join(dir, 'exercises/01_basics/fails.test.ts'));
    const exercise = loaded.course.exercises.find((e) => e.name === 'fails')!;
    await resetExercise(ws, loaded, exercise);
    expect(await readFile(file, 'utf8')).toBe(pristine);
    expect(await exists(path.join(dir, 'exercises/01_basics/fails.test.ts'))).toBe(true);
    const undone = await undoReset(ws, loaded, 'fails');
    expect(undone).toMatchObject({ exercise: 'fails', files: ['01_basics/fails.ts'] });
    expect(await readFile(file, 'utf8')).toBe('my attempt');
    await expect(undoReset(ws, loaded, 'fails')).rejects.toThrow(/no reset of fails to undo/);
  });
});

describe('update', () => {
  test('a newer course is announced once; update adds exercises and refreshes checks, never learner files', async () => {
    const courseDir = await copyOfMiniCourse();
    const dir = await tempDir();
    const ws = await initWorkspace(dir, await loadCourse(courseDir));
    await writeFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'my attempt');
    await writeFile(path.join(dir, 'exercises/01_basics/fails.test.ts'), 'edited check');

    const toml = await readFile(path.join(courseDir, 'info.toml'), 'utf8');
    await writeFile(
      path.join(courseDir, 'info.toml'),
      `${toml.replace('version = "1.0.0"', 'version = "1.1.0"')}\n[[exercises]]\nname = "brand_new"\ndir = "04_new"\nhint = "h"\n`,
    );
    await mkdir(path.join(courseDir, 'exercises/04_new'), { recursive: true });
    await writeFile(path.join(courseDir, 'exercises/04_new/brand_new.ts'), '// TODO\nexport {};\n');
    await writeFile(path.join(courseDir, 'exercises/04_new/brand_new.test.ts'), 'test');
    const newer = await loadCourse(courseDir);

    expect(await updateNotice(ws, newer)).toMatch(/now version 1.1.0 \(this workspace has 1.0.0\)/);
    const again = (await findWorkspace(dir))!;
    expect(await updateNotice(again, newer)).toBeUndefined();

    const result = await updateWorkspace(again, newer);
    expect(result.added).toEqual(expect.arrayContaining(['exercises/04_new/brand_new.ts', 'exercises/04_new/brand_new.test.ts']));
    expect(result.refreshed).toEqual(['exercises/01_basics/fails.test.ts']);
    expect(result.removed).toEqual([]);
    expect(await readFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'utf8')).toBe('my attempt');
    expect((await findWorkspace(dir))!.meta.version).toBe('1.1.0');
  });
});

describe('the course library in a workspace (declarations only)', () => {
  const oldStyle = async () => {
    const courseDir = await copyOfMiniCourse();
    const dir = await tempDir();
    await initWorkspace(dir, await loadCourse(courseDir));
    // What init did before: the library's code itself, here edited by the learner.
    await rm(path.join(dir, 'exercises/_lib/math.d.ts'));
    await writeFile(path.join(dir, 'exercises/_lib/math.ts'), 'export const answer = 41;\n');
    await writeFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'my attempt');
    return { courseDir, dir, ws: (await findWorkspace(dir))!, loaded: await loadCourse(courseDir) };
  };

  test('update replaces a copied implementation with declarations, keeps an edited one in a backup, and leaves learner files alone', async () => {
    const { dir, ws, loaded } = await oldStyle();
    expect(await updateNotice(ws, loaded)).toMatch(/still holds the course library's code \(exercises\/_lib\/math.ts\); run `async-lessons update`/);
    const result = await updateWorkspace(ws, loaded);
    expect(result.removed).toEqual(['exercises/_lib/math.ts']);
    expect(result.added).toContain('exercises/_lib/math.d.ts');
    expect(await exists(path.join(dir, 'exercises/_lib/math.ts'))).toBe(false);
    expect(await readFile(path.join(dir, 'exercises/_lib/math.d.ts'), 'utf8')).toMatch(/export declare const answer = 42;/);
    expect(await readFile(path.join(result.backup!, 'files/_lib/math.ts'), 'utf8')).toBe('export const answer = 41;\n');
    expect(await readFile(path.join(dir, 'exercises/01_basics/fails.ts'), 'utf8')).toBe('my attempt');
    expect(await updateNotice((await findWorkspace(dir))!, loaded)).toBeUndefined();
    // A backup of the library is never what undo-reset brings back.
    await expect(undoReset(ws, loaded, undefined)).rejects.toThrow(/no reset to undo/);
  });

  test('an unchanged copy is removed without a backup; code needing inference is declared by the checker; a library file the course dropped loses its declaration', async () => {
    const { courseDir, dir, ws } = await oldStyle();
    await writeFile(path.join(dir, 'exercises/_lib/math.ts'), await readFile(path.join(courseDir, 'exercises/_lib/math.ts')));
    await writeFile(path.join(courseDir, 'exercises/_lib/extra.ts'), 'export function twice(n: number) {\n  return n * 2;\n}\n');
    const first = await updateWorkspace(ws, await loadCourse(courseDir));
    expect(first.backup).toBeUndefined();
    expect(await readFile(path.join(dir, 'exercises/_lib/extra.d.ts'), 'utf8')).toMatch(/export declare function twice\(n: number\): number;/);
    await rm(path.join(courseDir, 'exercises/_lib/extra.ts'));
    const second = await updateWorkspace((await findWorkspace(dir))!, await loadCourse(courseDir));
    expect(second.removed).toEqual(['exercises/_lib/extra.d.ts']);
  });

  test('checks never use the workspace copy of the library: the run area places the course’s own', async () => {
    const { courseDir, dir, loaded } = await oldStyle();
    const area = await RunArea.create();
    onTestFinished(() => area.dispose());
    const exercise = loaded.course.exercises.find((e) => e.name === 'passes')!;
    const slot = await area.place(courseDir, exercise, { dir: path.join(dir, 'exercises'), displayBase: dir });
    expect(await readFile(path.join(slot.exercisesDir, '_lib/math.ts'), 'utf8')).toBe(await readFile(path.join(courseDir, 'exercises/_lib/math.ts'), 'utf8'));
    expect(await listFiles(path.join(slot.exercisesDir, '_lib'))).toEqual(['math.ts']);
  });
});

describe("this package's course in a fresh workspace", () => {
  const tsApi = createRequire(import.meta.url)('typescript') as typeof ts;

  /** Why a declaration-file node is code rather than a declaration, if it is. */
  function implementation(node: ts.Node): string | undefined {
    const t = tsApi;
    if (t.isFunctionLike(node) && 'body' in node && node.body) return 'a function body';
    if ((t.isVariableDeclaration(node) || t.isPropertyDeclaration(node)) && node.initializer) {
      const i = node.initializer;
      const literal = t.isLiteralExpression(i) || t.isPrefixUnaryExpression(i) || [t.SyntaxKind.TrueKeyword, t.SyntaxKind.FalseKeyword].includes(i.kind);
      if (!literal) return 'an initializer';
    }
    if (t.isExpressionStatement(node) || t.isIfStatement(node) || t.isIterationStatement(node, false) || t.isReturnStatement(node)) return 'a statement';
    return t.forEachChild(node, implementation);
  }

  test('holds no implementation of the course library: only declaration files, with nothing but declarations in them', async () => {
    const dir = await tempDir();
    await initWorkspace(dir, await loadCourse(repoRoot));
    const libFiles = (await listFiles(path.join(dir, 'exercises'))).filter((f) => f.startsWith('_'));
    expect(libFiles.length).toBeGreaterThan(0);
    for (const rel of libFiles) {
      expect(rel, `exercises/${rel} is not a declaration file`).toMatch(/\.d\.ts$/);
      const sf = tsApi.createSourceFile(rel, await readFile(path.join(dir, 'exercises', rel), 'utf8'), tsApi.ScriptTarget.Latest, true);
      expect(sf.isDeclarationFile).toBe(true);
      for (const s of sf.statements) expect(implementation(s), `exercises/${rel}:${sf.getLineAndCharacterOfPosition(s.getStart()).line + 1}`).toBeUndefined();
    }
    // Nor does the library's code hide anywhere else in the workspace.
    const libHashes = new Set<string>();
    for (const rel of await listFiles(path.join(repoRoot, 'exercises'))) if (rel.startsWith('_')) libHashes.add(sha256(await readFile(path.join(repoRoot, 'exercises', rel))));
    for (const rel of await listFiles(dir)) expect(libHashes.has(sha256(await readFile(path.join(dir, rel)))), rel).toBe(false);
  });

  test("the learner's editor resolves every import: with every reference solution in place the workspace type-checks clean", async () => {
    const dir = await tempDir();
    const loaded = await loadCourse(repoRoot);
    await initWorkspace(dir, loaded);
    for (const e of loaded.course.exercises) for (const f of e.learnerFiles) await cp(path.join(repoRoot, 'solutions', f), path.join(dir, 'exercises', f));
    // Stands in for the `npm install` the README asks for: the workspace's package.json pins the
    // same typescript, @types/node and vitest as this package's.
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const t = tsApi;
    const config = t.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...t.sys, onUnRecoverableConfigFileDiagnostic: (d) => expect.fail(String(d.messageText)) })!;
    const program = t.createProgram(config.fileNames, config.options);
    const errors = t.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} TS${d.code} ${t.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
    expect(errors).toEqual([]);
    expect(config.fileNames.some((f) => f.endsWith('exercises/_lib/future.d.ts'))).toBe(true);
  });
});
