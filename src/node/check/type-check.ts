import path from 'node:path';
import { createRequire } from 'node:module';
import type ts from 'typescript';
import { codeFrame, type TypeDiagnostic, type Verdict } from '../../core/verdict.js';
import type { Slot } from './run-area.js';

const requireHere = createRequire(import.meta.url);
let tsModule: typeof ts | undefined;
const loadTs = (): typeof ts => (tsModule ??= requireHere('typescript') as typeof ts);

// lib.d.ts and @types/node never change during a process: parsing them is most of a cold check's
// cost, so their SourceFiles are kept across checks.
const libCache = new Map<string, ts.SourceFile>();

const PIN_RE = /@ts-expect-error\b[^\n]*?\bTS(\d{4,5})\b/;

function options(t: typeof ts): ts.CompilerOptions {
  return {
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
    noUncheckedIndexedAccess: false,
  };
}

/** Blanks out pinned `@ts-expect-error TSnnnn` directives so the pinned code can be seen. */
function unpin(text: string): { text: string; pins: Array<{ line: number; code: number }> } {
  const pins: Array<{ line: number; code: number }> = [];
  const lines = text.split('\n').map((l, i) => {
    const m = PIN_RE.exec(l);
    if (!m) return l;
    pins.push({ line: i + 2, code: Number(m[1]) });
    return l.replace('@ts-expect-error', '@ts-pinned-err');
  });
  return { text: lines.join('\n'), pins };
}

/**
 * Type-checks a slot's learner files together with its fixtures (`*.types.ts` among the checks).
 * Returns the diagnostics that count against the learner. Pinned fixture lines
 * (`// @ts-expect-error TS2339`) must fail with exactly that code on the next line.
 */
export function typeDiagnostics(slot: Slot): TypeDiagnostic[] {
  const t = loadTs();
  const fixtures = [...slot.sources.keys()].filter((f) => /\.types\.tsx?$/.test(f));
  const roots = [...slot.learnerFiles, ...fixtures];
  const pinsByFile = new Map<string, Array<{ line: number; code: number }>>();
  const opts = options(t);
  const host = t.createCompilerHost(opts, true);
  const baseGet = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const own = slot.sources.get(fileName);
    if (own !== undefined) {
      const { text, pins } = fixtures.includes(fileName) ? unpin(own) : { text: own, pins: [] };
      if (pins.length > 0) pinsByFile.set(fileName, pins);
      return t.createSourceFile(fileName, text, languageVersion, true);
    }
    const cached = libCache.get(fileName);
    if (cached) return cached;
    const sf = baseGet(fileName, languageVersion, onError, shouldCreate);
    if (sf && (fileName.includes('/node_modules/') || fileName.includes('/typescript/lib/'))) libCache.set(fileName, sf);
    return sf;
  };
  const program = t.createProgram({ rootNames: roots, options: opts, host });
  const all = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
  const out: TypeDiagnostic[] = [];
  const pinned = new Set<string>();
  for (const d of all) {
    if (!d.file || !slot.sources.has(d.file.fileName)) continue;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const pins = pinsByFile.get(d.file.fileName) ?? [];
    const pin = pins.find((p) => p.line === line + 1);
    if (pin) {
      if (pin.code === d.code) pinned.add(`${d.file.fileName}:${pin.line}`);
      else out.push(diag(slot, d.file.fileName, line + 1, character + 1, d.code, `expected error TS${pin.code} here but got TS${d.code}: ${t.flattenDiagnosticMessageText(d.messageText, '\n')}`));
      continue;
    }
    out.push(diag(slot, d.file.fileName, line + 1, character + 1, d.code, t.flattenDiagnosticMessageText(d.messageText, '\n')));
  }
  for (const [file, pins] of pinsByFile) {
    for (const p of pins) {
      const key = `${file}:${p.line}`;
      if (!pinned.has(key) && !out.some((o) => o.frame?.file === slot.display.get(file) && o.frame?.line === p.line)) {
        out.push(diag(slot, file, p.line, 1, 2578, `this line should fail to type-check with TS${p.code}, but it compiles: the types accept something they must reject`));
      }
    }
  }
  return out;
}

function diag(slot: Slot, file: string, line: number, column: number, code: number, message: string): TypeDiagnostic {
  return { code, message, frame: codeFrame(slot.display.get(file) ?? file, slot.sources.get(file) ?? '', line, column) };
}

/** For `types` and `mixed` exercises the type check decides too; its errors replace a pass. */
export async function typeCheckSlot(slot: Slot, runtime: Verdict): Promise<Verdict> {
  if (slot.exercise.kind === 'runtime') return runtime;
  if (runtime.status !== 'passed' && slot.exercise.kind === 'mixed') return runtime;
  const started = Date.now();
  const errors = typeDiagnostics(slot);
  const durationMs = runtime.durationMs + (Date.now() - started);
  if (errors.length === 0) return { ...runtime, durationMs };
  const { status: _s, ...rest } = runtime;
  return { ...rest, durationMs, status: 'type-error', errors };
}
