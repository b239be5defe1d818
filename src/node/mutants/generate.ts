import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../../core/errors.js';

/** What identifies a mutant across unrelated edits of its file: no line numbers, no ids. */
export interface MutantKey {
  mutator: string;
  /** The code the mutant replaces, whitespace collapsed (long code shortened in the middle). */
  original: string;
  replacement: string;
  /** The line the mutant starts on, trimmed and whitespace collapsed. */
  context: string;
}

export interface Mutant extends MutantKey {
  /** The mutated file, relative to the course's solutions/ (and exercises/) folder. */
  file: string;
  /** 1-based line the mutant starts on, for people. */
  line: number;
  /** The whole mutated file. */
  source: string;
}

export interface SourceFile {
  file: string;
  content: string;
}

// The few members of @stryker-mutator/instrumenter 9 used here; it is loaded only by
// `dev check --mutants`, so its types must not be needed to build the package.
interface StrykerMutant {
  mutatorName: string;
  replacement: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
  status?: string;
}
interface InstrumenterModule {
  Instrumenter: new (logger: object) => {
    instrument(
      files: Array<{ name: string; content: string; mutate: boolean }>,
      options: { plugins: null; excludedMutations: string[]; ignorers: never[]; noHeader: boolean },
    ): Promise<{ mutants: readonly StrykerMutant[] }>;
  };
}

const PACKAGE = '@stryker-mutator/instrumenter';

/**
 * Stryker's instrumenter, from this package's dependencies or else the course's. A variable
 * specifier keeps the bundler from pulling it into dist/cli.js: learners never download it.
 */
export async function loadInstrumenter(courseRoot: string, specifier: string = PACKAGE): Promise<InstrumenterModule> {
  try {
    return (await import(specifier)) as InstrumenterModule;
  } catch (first) {
    try {
      const resolved = createRequire(path.join(courseRoot, 'package.json')).resolve(specifier);
      return (await import(pathToFileURL(resolved).href)) as InstrumenterModule;
    } catch {
      const code = (first as { code?: string }).code;
      if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw first;
      throw new UserError(`Mutation testing needs ${specifier}, which is not installed.`, {
        next: `In the course folder, install it with \`npm i -D ${specifier}@9\`, then run \`async-lessons dev check --mutants\` again.`,
        code: 'MISSING_DEPENDENCY',
      });
    }
  }
}

const noop = () => {};
const silent = {
  isTraceEnabled: () => false,
  isDebugEnabled: () => false,
  isInfoEnabled: () => false,
  isWarnEnabled: () => false,
  isErrorEnabled: () => false,
  isFatalEnabled: () => false,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
};

const collapse = (code: string) => code.replace(/\s+/g, ' ').trim();
/** Keeps keys and table cells short: a mutated block is known by its start and end. */
export const shorten = (code: string, max = 80) => (code.length <= max ? code : `${code.slice(0, max - 25).trimEnd()} … ${code.slice(-20).trimStart()}`);

/** Offsets of each line's first character, for Stryker's 0-based line/column positions. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Every mutant of `files`. Each mutant's source is the original text with the replacement put at
 * the mutant's location: the instrumented "mutant switch" code is never run, so a mutant behaves
 * exactly as a learner's file with that one change would. Mutants that Stryker ignores (a
 * `// Stryker disable` comment in the solution) are left out.
 */
export async function generateMutants(mod: InstrumenterModule, files: readonly SourceFile[]): Promise<Mutant[]> {
  const out: Mutant[] = [];
  const instrumenter = new mod.Instrumenter(silent);
  for (const f of files) {
    // The file name only picks the parser (TypeScript for .ts); one file at a time keeps mutants
    // of different files apart without matching names back.
    const { mutants } = await instrumenter.instrument([{ name: f.file, content: f.content, mutate: true }], {
      plugins: null,
      excludedMutations: [],
      ignorers: [],
      noHeader: true,
    });
    const starts = lineStarts(f.content);
    const lines = f.content.split('\n');
    for (const m of mutants) {
      if (m.status === 'Ignored') continue;
      const from = starts[m.location.start.line]! + m.location.start.column;
      const to = starts[m.location.end.line]! + m.location.end.column;
      out.push({
        file: f.file,
        line: m.location.start.line + 1,
        mutator: m.mutatorName,
        original: shorten(collapse(f.content.slice(from, to))),
        replacement: shorten(collapse(m.replacement)),
        context: collapse(lines[m.location.start.line] ?? ''),
        source: f.content.slice(0, from) + m.replacement + f.content.slice(to),
      });
    }
  }
  return out;
}
