import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { applyPatch, createTwoFilesPatch, parsePatch, type StructuredPatch } from 'diff';
import type { Problem } from '../core/course-parse.js';
import type { Exercise } from '../core/course-schema.js';
import { parseRejects } from '../core/dev-rules.js';
import type { LoadedCourse } from './course-loader.js';
import { copyInto, exists, writeFileAtomic } from './fs-utils.js';
import { listFiles } from './workspace.js';

/**
 * A course's wrong answers (`wrong-answers/<exercise>/<label>`) come in three shapes: a whole
 * `.ts` file replacing the exercise file, a folder replacing several files, or a `.patch` — a
 * unified diff against the reference solution, so a reviewer reads the mistake rather than a copy.
 * A patch's lines above its first `---` header are `//` comments (`// @rejects …`, `// Mistake: …`);
 * they stay on top of the first file it changes, exactly where a whole-file wrong answer has them,
 * so converting one to the other changes no byte of what is checked.
 */

/** Where one of a wrong answer's files comes from: a file to copy, or text made from a patch. */
export type WrongFile = { copy: string } | { text: string };

export interface WrongAnswer {
  exercise: Exercise;
  label: string;
  /** The wrong answer's path in the course, for messages: `wrong-answers/join/sequential.patch`. */
  source: string;
  rejects: string | undefined;
  /** Overrides of learner files (paths relative to exercises/); the rest come from solutions/. */
  files: Map<string, WrongFile>;
}

/** A patch wrong answer split at its first `---` header: the comment lines above, and the diff. */
export function splitPatch(text: string): { preamble: string; diff: string } {
  const at = /^--- /m.exec(text);
  const cut = at ? at.index : text.length;
  return { preamble: text.slice(0, cut), diff: text.slice(cut) };
}

const stripPrefix = (name: string, prefix: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
const isSafeRel = (rel: string) => rel !== '' && !path.isAbsolute(rel) && !rel.split(/[\\/]/).includes('..');

/**
 * The files a patch wrong answer stands for. File names in its headers are relative to the
 * exercise's topic folder (`--- a/join.ts`); `readSolution` gives `solutions/<rel>`'s text (rel
 * relative to solutions/), or undefined when there is none. Returns what is wrong otherwise.
 */
export async function applyWrongAnswerPatch(
  text: string,
  dir: string,
  readSolution: (rel: string) => Promise<string | undefined>,
): Promise<{ files: Map<string, string> } | { problem: string }> {
  const { preamble, diff } = splitPatch(text);
  const stray = preamble.split('\n').findIndex((line) => line.trim() !== '' && !line.startsWith('//'));
  if (stray >= 0) return { problem: `line ${stray + 1} is above the first "--- a/<file>" header but is not a // comment` };
  let sections: StructuredPatch[];
  try {
    sections = parsePatch(diff);
  } catch (error) {
    return { problem: `is not a unified diff: ${(error as Error).message}` };
  }
  sections = sections.filter((s) => s.oldFileName !== undefined || s.newFileName !== undefined);
  if (sections.length === 0) return { problem: 'has no "--- a/<file>" / "+++ b/<file>" headers: a patch names the files it changes, relative to the topic folder' };
  const files = new Map<string, string>();
  for (const [i, s] of sections.entries()) {
    const oldName = stripPrefix(s.oldFileName ?? '', 'a/');
    const newName = stripPrefix(s.newFileName ?? '', 'b/');
    if (newName === '/dev/null') return { problem: `deletes ${oldName}: a wrong answer cannot delete a file` };
    if (!isSafeRel(newName) || (oldName !== '/dev/null' && !isSafeRel(oldName))) return { problem: `names "${s.newFileName}": file names are relative to the topic folder (${dir}/)` };
    const rel = `${dir}/${newName}`;
    if (files.has(rel)) return { problem: `changes ${newName} twice` };
    let base = '';
    if (oldName !== '/dev/null') {
      const solution = await readSolution(`${dir}/${oldName}`);
      if (solution === undefined) return { problem: `patches ${oldName}, but solutions/${dir}/${oldName} does not exist` };
      base = solution;
    }
    const patched = applyPatch(base, s);
    if (patched === false) return { problem: `does not apply to solutions/${dir}/${oldName} any more (the solution changed); refresh this wrong answer` };
    files.set(rel, i === 0 ? preamble + patched : patched);
  }
  return { files };
}

const before = (a: number[], b: number[]) => {
  const i = a.findIndex((x, j) => x !== b[j]);
  return i >= 0 && a[i]! < b[i]!;
};
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The solution's opening block of `//` comments and blank lines (its "reference solution" header). */
function openingComments(source: string): string {
  const m = /^(?:(?:\/\/[^\n]*)?\n)*/.exec(source);
  return m ? m[0] : '';
}

/**
 * A whole-file wrong answer rewritten as a patch against `solution`, or undefined when the patch
 * would be no shorter than the file. `name` is the file's name in its topic folder. The leading
 * `//` lines (its `@rejects` and `Mistake:`) stay on top; how many of them count as the preamble is
 * chosen to make the diff shortest. Most wrong answers were copies of the solution without its
 * opening comments; deleting those in every patch is noise, so the patch may keep them — the
 * result is then the file with comment lines added below its preamble, and nothing else. Throws
 * if the patch would not give back that file: that would be a bug.
 */
export async function wholeFileAsPatch(original: string, solution: string, name: string): Promise<string | undefined> {
  const lines = original.split('\n');
  let lead = 0;
  while (lead < lines.length - 1 && lines[lead]!.startsWith('//')) lead++;
  const header = openingComments(solution);
  // Shortest first; on a tie the exact file, then the longer preamble (a Mistake: line that runs on
  // reads better above the diff than as added lines inside it).
  let best: { text: string; expect: string; rank: number[] } | undefined;
  for (let k = 1; k <= lead; k++) {
    const preamble = `${lines.slice(0, k).join('\n')}\n`;
    const body = original.slice(preamble.length);
    for (const kept of body.startsWith(header) ? [''] : ['', header]) {
      const diff = createTwoFilesPatch(`a/${name}`, `b/${name}`, solution, kept + body, undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
      const text = preamble + diff;
      const rank = [lineCount(text), kept === '' ? 0 : 1, -k];
      if (best === undefined || before(rank, best.rank)) best = { text, expect: preamble + kept + body, rank };
    }
  }
  if (best === undefined || lineCount(best.text) >= lineCount(original)) return undefined;
  const back = await applyWrongAnswerPatch(best.text, '.', async () => solution);
  if (!('files' in back) || back.files.get(`./${name}`) !== best.expect) throw new Error(`the patch made for ${name} does not give the file back`);
  return best.text;
}

/** Every wrong answer of the course; what is malformed is added to `problems` and left out. */
export async function loadWrongAnswers(loaded: LoadedCourse, problems: Problem[]): Promise<WrongAnswer[]> {
  const root = path.join(loaded.root, 'wrong-answers');
  let names: string[];
  try {
    names = (await readdir(root)).sort();
  } catch {
    return [];
  }
  const readSolution = (rel: string) => readFile(path.join(loaded.root, 'solutions', rel), 'utf8').catch(() => undefined);
  const out: WrongAnswer[] = [];
  for (const name of names) {
    const exercise = loaded.course.exercises.find((e) => e.name === name);
    if (!exercise) {
      problems.push({ exercise: name, field: 'wrong-answers', message: `wrong-answers/${name}/ names no exercise in info.toml` });
      continue;
    }
    const seen = new Map<string, string>();
    for (const entry of (await readdir(path.join(root, name))).sort()) {
      const at = path.join(root, name, entry);
      const source = `wrong-answers/${name}/${entry}`;
      const problem = (message: string) => problems.push({ exercise: name, field: source, message });
      const isDir = (await stat(at)).isDirectory();
      if (!isDir && !/\.(ts|patch)$/.test(entry)) continue;
      const label = entry.replace(/\.(ts|patch)$/, '');
      if (seen.has(label)) {
        problem(`${seen.get(label)} has the same label: keep one of them`);
        continue;
      }
      seen.set(label, entry);
      const files = new Map<string, WrongFile>();
      let first: string;
      if (isDir) {
        const copies = new Map<string, string>();
        for (const rel of await listFiles(at)) copies.set(`${exercise.dir}/${rel}`, path.join(at, rel));
        for (const [rel, from] of copies) files.set(rel, { copy: from });
        const main = copies.get(exercise.mainFile) ?? [...copies.values()][0];
        first = main === undefined ? '' : await readFile(main, 'utf8');
      } else if (entry.endsWith('.ts')) {
        files.set(exercise.mainFile, { copy: at });
        first = await readFile(at, 'utf8');
      } else {
        first = await readFile(at, 'utf8');
        const applied = await applyWrongAnswerPatch(first, exercise.dir, readSolution);
        if ('problem' in applied) {
          problem(applied.problem);
          continue;
        }
        for (const [rel, text] of applied.files) files.set(rel, { text });
      }
      const rejects = parseRejects(first);
      if (rejects === undefined) problem('needs a first line "// @rejects <test name>"');
      out.push({ exercise, label, source, rejects, files });
    }
  }
  return out;
}

/** Lays out a wrong answer's learner files in `dir`: its own where it has them, the solution's elsewhere. */
export async function writeWrongAnswer(w: WrongAnswer, courseRoot: string, dir: string): Promise<void> {
  const put = async (rel: string, file: WrongFile) =>
    'copy' in file ? copyInto(file.copy, path.join(dir, rel)) : writeFileAtomic(path.join(dir, rel), file.text);
  for (const rel of w.exercise.learnerFiles) {
    const own = w.files.get(rel);
    const solution = path.join(courseRoot, 'solutions', rel);
    if (own) await put(rel, own);
    else if (await exists(solution)) await copyInto(solution, path.join(dir, rel));
  }
  for (const [rel, file] of w.files) if (!w.exercise.learnerFiles.includes(rel)) await put(rel, file);
}

export interface Conversion {
  /** Whole files rewritten as patches: `wrong-answers/join/sequential.ts` → lines before and after. */
  converted: Array<{ source: string; before: number; after: number }>;
  /** Whole files left as they are, and why. */
  kept: Array<{ source: string; why: string }>;
}

/**
 * Rewrites each whole-file wrong answer as a `.patch` where that is shorter. Safe to run again:
 * patches and folders are never touched, a file whose patch would be as long stays a file, and
 * the `.ts` is removed only after its patch is written and proven to give it back.
 */
export async function convertToPatches(loaded: LoadedCourse): Promise<Conversion> {
  const result: Conversion = { converted: [], kept: [] };
  for (const exercise of loaded.course.exercises) {
    const dir = path.join(loaded.root, 'wrong-answers', exercise.name);
    const entries = await readdir(dir).catch(() => [] as string[]);
    const solution = await readFile(path.join(loaded.root, 'solutions', exercise.mainFile), 'utf8').catch(() => undefined);
    for (const entry of entries.filter((e) => e.endsWith('.ts')).sort()) {
      const source = `wrong-answers/${exercise.name}/${entry}`;
      const target = path.join(dir, entry.replace(/\.ts$/, '.patch'));
      if (!(await stat(path.join(dir, entry))).isFile()) continue;
      if (solution === undefined) {
        result.kept.push({ source, why: `solutions/${exercise.mainFile} is missing` });
        continue;
      }
      if (await exists(target)) {
        result.kept.push({ source, why: `${path.basename(target)} exists too` });
        continue;
      }
      const original = await readFile(path.join(dir, entry), 'utf8');
      if (parseRejects(original) === undefined) {
        result.kept.push({ source, why: 'it has no "// @rejects" line' });
        continue;
      }
      const patch = await wholeFileAsPatch(original, solution, path.basename(exercise.mainFile));
      if (patch === undefined) {
        result.kept.push({ source, why: 'its diff against the solution is as long as the file' });
        continue;
      }
      await writeFileAtomic(target, patch);
      await rm(path.join(dir, entry));
      result.converted.push({ source, before: lineCount(original), after: lineCount(patch) });
    }
  }
  return result;
}
