import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatProblem, type Problem } from '../../src/core/course-parse.js';
import { loadCourse } from '../../src/node/course-loader.js';
import { applyWrongAnswerPatch, convertToPatches, loadWrongAnswers, wholeFileAsPatch, type WrongFile } from '../../src/node/wrong-answers.js';
import { tempDir } from '../helpers.js';

const SOLUTION = `// sum: reference solution.
//
// Rust equivalent: iter().sum().

export function sum(xs: number[]): number {
  let total = 0;
  for (const x of xs) {
    total += x;
  }
  return total;
}

export function count(xs: number[]): number {
  return xs.length;
}

export function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : sum(xs) / count(xs);
}

export function max(xs: number[]): number {
  return Math.max(...xs);
}
`;
// A wrong answer as authors wrote them: the solution without its opening comments, one line changed.
const WHOLE = `// @rejects sums every element
// Mistake: starts at the second element.
${SOLUTION.split('\n').slice(4).join('\n').replace('for (const x of xs)', 'for (const x of xs.slice(1))')}`;
const solutions = async (rel: string) => (rel === '01_t/sum.ts' ? SOLUTION : rel === '01_t/extra.ts' ? 'export const k = 1;\n' : undefined);

describe('applyWrongAnswerPatch', () => {
  test('applies each section to the solution file it names; the comment lines stay on top of the first', async () => {
    const patch = `// @rejects sums every element
// Mistake: starts at one.
--- a/sum.ts
+++ b/sum.ts
@@ -6,1 +6,1 @@
-  let total = 0;
+  let total = 1;
--- a/extra.ts
+++ b/extra.ts
@@ -1,1 +1,1 @@
-export const k = 1;
+export const k = 2;
--- /dev/null
+++ b/helper.ts
@@ -0,0 +1,1 @@
+export const h = 0;
`;
    const r = await applyWrongAnswerPatch(patch, '01_t', solutions);
    if (!('files' in r)) throw new Error(r.problem);
    expect(r.files.get('01_t/sum.ts')).toBe(`// @rejects sums every element\n// Mistake: starts at one.\n${SOLUTION.replace('total = 0', 'total = 1')}`);
    expect(r.files.get('01_t/extra.ts')).toBe('export const k = 2;\n');
    expect(r.files.get('01_t/helper.ts')).toBe('export const h = 0;\n');
  });

  test.each([
    ['a hunk whose lines the solution no longer has', '--- a/sum.ts\n+++ b/sum.ts\n@@ -6,1 +6,1 @@\n-  let sum = 0;\n+  let sum = 1;\n', 'does not apply to solutions/01_t/sum.ts any more (the solution changed); refresh this wrong answer'],
    ['a file the solutions lack', '--- a/nope.ts\n+++ b/nope.ts\n@@ -1,1 +1,1 @@\n-a\n+b\n', 'patches nope.ts, but solutions/01_t/nope.ts does not exist'],
    ['no headers at all', '// @rejects x\nexport const y = 1;\n', 'line 2 is above the first "--- a/<file>" header but is not a // comment'],
    ['only comments', '// @rejects x\n', 'has no "--- a/<file>" / "+++ b/<file>" headers'],
    ['a path out of the topic folder', '--- a/../../x.ts\n+++ b/../../x.ts\n@@ -1,1 +1,1 @@\n-a\n+b\n', 'file names are relative to the topic folder (01_t/)'],
    ['a deletion', '--- a/sum.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n', 'a wrong answer cannot delete a file'],
  ])('reports %s', async (_, patch, problem) => {
    const r = await applyWrongAnswerPatch(patch, '01_t', solutions);
    expect('problem' in r && r.problem).toContain(problem);
  });
});

describe('wholeFileAsPatch', () => {
  test('keeps the @rejects and Mistake lines on top, the solution header out of the diff, and gives the code back', async () => {
    const patch = (await wholeFileAsPatch(WHOLE, SOLUTION, 'sum.ts'))!;
    expect(patch.split('\n').slice(0, 4)).toEqual(['// @rejects sums every element', '// Mistake: starts at the second element.', '--- a/sum.ts', '+++ b/sum.ts']);
    expect(patch).not.toMatch(/^-\/\/ sum: reference solution/m);
    const back = await applyWrongAnswerPatch(patch, '01_t', solutions);
    if (!('files' in back)) throw new Error(back.problem);
    // The same file, with only the solution's opening comments added below the preamble.
    const made = back.files.get('01_t/sum.ts')!;
    expect(made.replace(SOLUTION.slice(0, SOLUTION.indexOf('export')), '')).toBe(WHOLE);
  });

  test('leaves a file whose diff would be as long as the file itself', async () => {
    expect(await wholeFileAsPatch('// @rejects x\nexport const sum = () => 0;\n', SOLUTION, 'sum.ts')).toBeUndefined();
  });
});

async function course(wrong: Record<string, string>): Promise<string> {
  const root = await tempDir();
  const files: Record<string, string> = {
    'info.toml': 'format_version = 1\n[[exercises]]\nname = "sum"\ndir = "01_t"\nkind = "runtime"\nhint = "h"\n',
    'exercises/01_t/sum.ts': '// TODO\n',
    'solutions/01_t/sum.ts': SOLUTION,
    ...Object.fromEntries(Object.entries(wrong).map(([k, v]) => [`wrong-answers/sum/${k}`, v])),
  };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return root;
}

const text = (f: WrongFile | undefined) => (f && 'text' in f ? f.text : undefined);

describe('convertToPatches', () => {
  test('rewrites what is shorter as a patch, keeps the rest, and does nothing the second time', async () => {
    const root = await course({ 'skips_first.ts': WHOLE, 'tiny.ts': '// @rejects x\nexport const sum = () => 0;\n', 'no_reason.ts': WHOLE.split('\n').slice(2).join('\n') });
    const loaded = await loadCourse(root);
    const first = await convertToPatches(loaded);
    expect(first.converted.map((c) => c.source)).toEqual(['wrong-answers/sum/skips_first.ts']);
    expect(first.converted[0]!.after).toBeLessThan(first.converted[0]!.before);
    expect(first.kept.map((k) => `${k.source}: ${k.why}`)).toEqual([
      'wrong-answers/sum/no_reason.ts: it has no "// @rejects" line',
      'wrong-answers/sum/tiny.ts: its diff against the solution is as long as the file',
    ]);
    expect((await readdir(path.join(root, 'wrong-answers/sum'))).sort()).toEqual(['no_reason.ts', 'skips_first.patch', 'tiny.ts']);
    const patch = await readFile(path.join(root, 'wrong-answers/sum/skips_first.patch'), 'utf8');
    const again = await convertToPatches(loaded);
    expect(again.converted).toEqual([]);
    expect(await readFile(path.join(root, 'wrong-answers/sum/skips_first.patch'), 'utf8')).toBe(patch);
    // dev check reads the patch back as the same code it was.
    const problems: Problem[] = [];
    const [w] = (await loadWrongAnswers(loaded, problems)).filter((x) => x.label === 'skips_first');
    expect(w!.rejects).toBe('sums every element');
    expect(text(w!.files.get('01_t/sum.ts'))).toContain('for (const x of xs.slice(1))');
  });

  test('a label that is both a file and a patch is reported by dev check and left alone by the converter', async () => {
    const root = await course({ 'twice.ts': WHOLE, 'twice.patch': (await wholeFileAsPatch(WHOLE, SOLUTION, 'sum.ts'))! });
    const loaded = await loadCourse(root);
    expect((await convertToPatches(loaded)).kept).toEqual([{ source: 'wrong-answers/sum/twice.ts', why: 'twice.patch exists too' }]);
    const problems: Problem[] = [];
    await loadWrongAnswers(loaded, problems);
    expect(problems.map(formatProblem)).toEqual(['exercise sum: wrong-answers/sum/twice.ts: twice.patch has the same label: keep one of them']);
  });
});
