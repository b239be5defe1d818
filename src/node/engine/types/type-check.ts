import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type ts from 'typescript';
import { codeFrame, type TypeDiagnostic, type Verdict } from '../../../core/verdict.js';
import type { TypeFile } from '../shared/protocol.js';
import type { Slot } from '../client/run-area.js';
import { explainExpectTypeOf, pathRewriter } from './type-terms.js';

/*
 * Type checking without running anything: one TypeScript language service, kept warm. lib.d.ts and
 * @types/node are parsed once per process; a re-check after an edit re-checks only what changed
 * (a cold `tsc` of one exercise costs ~3 s here). It evaluates type fixtures as data:
 * `// @ts-expect-error TS2339` pins the exact code the next line must fail with, so a loosened
 * signature that makes the line compile — or fail differently — is caught.
 */

const requireHere = createRequire(import.meta.url);
const PIN_RE = /@ts-expect-error\b[^\n]*?\bTS(\d{4,5})\b/;

/** Blanks out pinned directives (keeping line numbers) so the pinned code becomes visible. */
export function unpin(text: string): { text: string; pins: Array<{ line: number; code: number }> } {
  const pins: Array<{ line: number; code: number }> = [];
  const lines = text.split('\n').map((l, i) => {
    const m = PIN_RE.exec(l);
    if (!m) return l;
    pins.push({ line: i + 2, code: Number(m[1]) });
    return l.replace('@ts-expect-error', '@ts-pinned-err');
  });
  return { text: lines.join('\n'), pins };
}

export class TypeService {
  private readonly t: typeof ts;
  private readonly options: ts.CompilerOptions;
  private readonly own = new Map<string, { version: number; text: string }>();
  /** Installed declarations (TypeScript's lib, node_modules) do not change while we run: stat once. */
  private readonly installed = new Map<string, string>();
  private roots: string[] = [];
  private readonly ls: ts.LanguageService;

  constructor() {
    this.t = requireHere('typescript') as typeof ts;
    const t = this.t;
    this.options = {
      target: t.ScriptTarget.ES2022,
      module: t.ModuleKind.ESNext,
      moduleResolution: t.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [path.join(path.dirname(requireHere.resolve('@types/node/package.json')), '..')],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
    };
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => this.roots,
      getScriptVersion: (f) => {
        const o = this.own.get(f);
        if (o) return String(o.version);
        const known = this.installed.get(f);
        if (known !== undefined) return known;
        let version: string;
        try {
          version = `disk ${statSync(f).mtimeMs}`;
        } catch {
          version = 'none';
        }
        // Every check asks for every file's version: without this, hundreds of stats a check.
        if (isInstalled(f)) this.installed.set(f, version);
        return version;
      },
      getScriptSnapshot: (f) => {
        const o = this.own.get(f);
        if (o) return t.ScriptSnapshot.fromString(o.text);
        return existsSync(f) ? t.ScriptSnapshot.fromString(readFileSync(f, 'utf8')) : undefined;
      },
      getCurrentDirectory: () => process.cwd(),
      getCompilationSettings: () => this.options,
      getDefaultLibFileName: (o) => t.getDefaultLibFilePath(o),
      fileExists: (f) => this.own.has(f) || t.sys.fileExists(f),
      readFile: (f) => this.own.get(f)?.text ?? t.sys.readFile(f),
      readDirectory: t.sys.readDirectory,
      // The run area reaches vitest (and its expect-type) through a symlink: without realpath,
      // module resolution from there fails silently under skipLibCheck and expectTypeOf checks nothing.
      realpath: t.sys.realpath,
      directoryExists: t.sys.directoryExists,
      getDirectories: t.sys.getDirectories,
    };
    this.ls = t.createLanguageService(host, t.createDocumentRegistry());
  }

  /**
   * Per scope (one submission being graded, with the checker shared across submissions): the
   * roots of every exercise of it, so that all its checks are answered from one program rather
   * than a program per exercise (each new program pays for binding lib.d.ts and @types/node again).
   */
  private readonly scopes = new Map<string, Set<string>>();

  private register(files: TypeFile[]): Map<string, Array<{ line: number; code: number }>> {
    const pins = new Map<string, Array<{ line: number; code: number }>>();
    for (const f of files) {
      const { text, pins: p } = f.fixture ? unpin(f.content) : { text: f.content, pins: [] };
      if (p.length > 0) pins.set(f.path, p);
      const prev = this.own.get(f.path);
      if (!prev || prev.text !== text) this.own.set(f.path, { version: (prev?.version ?? 0) + 1, text });
    }
    return pins;
  }

  private rootsOf(files: TypeFile[]): string[] {
    return files.filter((f) => f.learner || f.fixture).map((f) => f.path);
  }

  /** Adds files to a scope's program without checking them: later checks in the scope reuse it. */
  prepare(scope: string, files: TypeFile[]): void {
    this.register(files);
    const roots = this.scopes.get(scope) ?? new Set<string>();
    for (const r of this.rootsOf(files)) roots.add(r);
    this.scopes.set(scope, roots);
    this.roots = [...roots];
    this.ls.getProgram();
  }

  /** A scope is done (its submission graded): its files leave the service. */
  forget(scope: string): void {
    for (const f of [...this.own.keys()]) if (f.startsWith(`${scope}${path.sep}`)) this.own.delete(f);
    this.scopes.delete(scope);
    this.roots = [];
    // An empty program now, not at the next scope's first check: the old one lets go of its files.
    this.ls.getProgram();
  }

  /** Diagnostics that count against the learner, for one exercise's files (of `scope`'s program, if given). */
  check(files: TypeFile[], scope?: string): TypeDiagnostic[] {
    const t = this.t;
    const pins = this.register(files);
    const mine = this.rootsOf(files);
    if (scope === undefined) this.roots = mine;
    else {
      const roots = this.scopes.get(scope) ?? new Set<string>();
      for (const r of mine) roots.add(r);
      this.scopes.set(scope, roots);
      // The same names as last time: the language service keeps its program.
      this.roots = [...roots];
    }
    const byPath = new Map(files.map((f) => [f.path, f]));
    const out: TypeDiagnostic[] = [];
    const satisfied = new Set<string>();
    const frame = (file: string, line: number, column: number) => {
      const f = byPath.get(file)!;
      return codeFrame(f.display, f.content, line, column);
    };
    const learnerTerms = pathRewriter(files);
    for (const root of mine) {
      const diags = [...this.ls.getSyntacticDiagnostics(root), ...this.ls.getSemanticDiagnostics(root)];
      for (const d of diags) {
        if (!d.file || !byPath.has(d.file.fileName)) continue;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
        const explained = this.explain(d.file, d.start ?? 0);
        const raw = t.flattenDiagnosticMessageText(d.messageText, '\n');
        const message = learnerTerms(explained ? `${explained}\n${raw}` : raw);
        const pin = pins.get(d.file.fileName)?.find((p) => p.line === line + 1);
        if (pin && pin.code === d.code) {
          satisfied.add(`${d.file.fileName}:${pin.line}`);
          continue;
        }
        const text = pin ? `expected error TS${pin.code} on this line but got TS${d.code}: ${message}` : message;
        out.push({ code: d.code, message: text, frame: frame(d.file.fileName, line + 1, character + 1) });
      }
    }
    for (const [file, list] of pins) {
      for (const p of list) {
        if (satisfied.has(`${file}:${p.line}`) || out.some((o) => o.frame?.file === byPath.get(file)!.display && o.frame?.line === p.line)) continue;
        out.push({
          code: 2578,
          message: `this line should fail to type-check with TS${p.code}, but it compiles: the types accept something they must reject`,
          frame: frame(file, p.line, 1),
        });
      }
    }
    return out;
  }

  private explain(file: ts.SourceFile, pos: number): string | undefined {
    const checker = this.ls.getProgram()?.getTypeChecker();
    if (!checker) return undefined;
    try {
      return explainExpectTypeOf(this.t, checker, file, pos);
    } catch {
      // The explanation is a courtesy: never let it cost the learner the diagnostic itself.
      return undefined;
    }
  }
}

const LIB_DIR = path.dirname(requireHere.resolve('typescript'));
const isInstalled = (f: string) => f.startsWith(LIB_DIR) || f.includes(`${path.sep}node_modules${path.sep}`);

/** A slot's files as the type checker takes them. */
export function typeFiles(slot: Slot): TypeFile[] {
  return [...slot.sources.entries()].map(([p, content]) => ({
    path: p,
    display: slot.display.get(p) ?? p,
    content,
    learner: slot.learnerFiles.has(p),
    fixture: /\.types\.tsx?$/.test(p),
  }));
}
