/*
 * Bans on constructs in a learner's file, found in the TypeScript syntax tree rather than with
 * regular expressions, so a banned word in a comment or a string does not count, and `as const`
 * is not an `as` cast.
 *
 * TypeScript is loaded on the first scan, not when the harness is imported: loading it costs about
 * 0.4 s, which every check importing the harness would otherwise pay.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type ts from 'typescript';
import { dirname, relative } from 'node:path';
import { findModuleUses, localFiles, moduleBans } from './ast-modules.js';
import { expectBusy } from './busy.js';

const requireHere = createRequire(import.meta.url);
let tsModule: typeof ts | undefined;
function loadTs(): typeof ts {
  if (tsModule) return tsModule;
  // Seconds of synchronous loading on a busy machine: not a blocked loop of the learner's.
  expectBusy(15_000);
  try {
    tsModule = requireHere('typescript') as typeof ts;
  } finally {
    expectBusy(0);
  }
  return tsModule;
}

/**
 * Something a check can ban:
 * - `'any'`: the `any` type;
 * - `'as'`: `x as T` and `<T>x` casts (`as const` is allowed);
 * - `'non-null'`: the `x!` assertion;
 * - `'@ts-ignore'`, `'@ts-expect-error'`, `'@ts-nocheck'`, or `'ts-directives'` for all three;
 * - `'private'`: the `private` modifier and `#name` members;
 * - `'async'`: async functions, methods and arrows; `'await'`: `await` and `for await`;
 * - `'import:<module>'`: loading that module or anything under it, in any spelling: static imports,
 *   re-exports (`export * from`), `import()`, `require`, `createRequire(…)(…)`, `module.require`,
 *   `import.meta.resolve`. A relative module (`'import:../_lib/runtime'`) is resolved against the
 *   scanned file's folder and compared as a file, so `'./../_lib/runtime.js'` or `'../_lib/' + 'runtime'`
 *   is the same module, and a folder (`'import:../_lib'`) bans every file in it. A bare module
 *   (`'import:vitest'`, `'import:node:timers'`; the `node:` prefix is optional either way) bans it and
 *   its subpaths. While a module ban is active, a load whose module name the file does not spell out
 *   (`import(name)`) is reported too, and with a relative ban so are the loaders a scan cannot follow
 *   (`node:module`, `node:vm`, `eval`, `Function(…)`, `process.getBuiltinModule`) and any string that
 *   names a banned file. Type-only imports (`import type`, `import { type T }`, `import('x').T`) are
 *   erased before the code runs and so borrow nothing: they are allowed;
 * - `'import-type:<module>'`: as `'import:<module>'`, and type-only imports of it too;
 * - any other string: an identifier with that name, e.g. `'Promise'`, `'setTimeout'`, `'queueMicrotask'`
 *   (also `globalThis['setTimeout']`).
 */
export type Ban =
  | 'any'
  | 'as'
  | 'non-null'
  | '@ts-ignore'
  | '@ts-expect-error'
  | '@ts-nocheck'
  | 'ts-directives'
  | 'private'
  | 'async'
  | 'await'
  | `import:${string}`
  | `import-type:${string}`
  | (string & {});

/** One use of a banned construct. */
export interface Finding {
  /** 1-based line and column of the construct. */
  line: number;
  column: number;
  /** The ban it breaks, as given to `scan`. */
  ban: string;
  /** The source text of the construct (shortened). */
  code: string;
  /** A full sentence for the learner: `line 12: uses \`await\` — <why>`. */
  message: string;
}

const WHAT: Record<string, string> = {
  any: 'uses `any`',
  as: 'uses an `as` cast',
  'non-null': 'uses a non-null assertion (`!`)',
  private: 'declares a private member (`private` or `#name`)',
  async: 'declares an `async` function',
  await: 'uses `await`',
};

const BECAUSE: Record<string, string> = {
  any: '`any` switches type checking off; give the value a real type (or `unknown`, then narrow it)',
  as: 'a cast makes TypeScript trust you instead of checking; change the types so the value already has the type you need',
  'non-null': 'it tells TypeScript a value cannot be missing without checking; handle the missing case instead',
  'ts-directive': 'it hides a type error instead of fixing it; fix the error the comment was silencing',
};

/**
 * Scans a TypeScript file (a path or a `file:` URL, e.g. `new URL('./x.ts', import.meta.url)`) and
 * returns every use of a banned construct, in source order. `why`, when given, replaces the default
 * explanation in each message: `line 12: uses \`await\` — this exercise builds the executor by hand`.
 */
export function scan(file: string | URL, bans: readonly Ban[], why?: string): Finding[] {
  const path = file instanceof URL || file.startsWith('file:') ? fileURLToPath(file) : file;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`scan: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const findings = scanSource(text, bans, { fileName: path, ...(why === undefined ? {} : { why }) });
  return [...findings, ...scanLocalImports(path, text, bans, why)];
}

/**
 * Module bans hold in the learner's other files too: a banned import moved into `./helper.ts` and
 * re-exported from there is the same import. Follows relative imports into files under the scanned
 * file's folder (never into the course library beside it) and reports with the file's name.
 */
function scanLocalImports(file: string, text: string, bans: readonly Ban[], why: string | undefined): Finding[] {
  const moduleBansOnly = bans.filter((b) => /^import(?:-type)?:/.test(b));
  if (moduleBansOnly.length === 0) return [];
  const t = loadTs();
  const root = dirname(file);
  const seen = new Set([file]);
  const queue = localFiles(t, file, text, root);
  const out: Finding[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next)) continue;
    seen.add(next);
    const sub = readFileSync(next, 'utf8');
    const name = relative(root, next);
    for (const f of scanSource(sub, moduleBansOnly, { fileName: next, bansFrom: file, ...(why === undefined ? {} : { why }) })) {
      out.push({ ...f, message: `${name}, ${f.message}` });
    }
    queue.push(...localFiles(t, next, sub, root));
  }
  return out;
}

/** As `scan`, but returns only the messages: `expect(banned(url, ['await'])).toEqual([])` shows them on failure. */
export function banned(file: string | URL, bans: readonly Ban[], why?: string): string[] {
  return scan(file, bans, why).map((f) => f.message);
}

/** As `scan`, for source text already in memory; `bansFrom` is the file relative bans are resolved from (default `fileName`). */
export function scanSource(text: string, bans: readonly Ban[], options: { fileName?: string; why?: string; bansFrom?: string } = {}): Finding[] {
  const t = loadTs();
  const fileName = options.fileName ?? 'input.ts';
  const kind = /\.[cm]?tsx$/.test(fileName) ? t.ScriptKind.TSX : t.ScriptKind.TS;
  const sf = t.createSourceFile(fileName, text, t.ScriptTarget.Latest, true, kind);
  const want = new Set<string>(bans);
  const names = new Set(bans.filter((b) => !(b in WHAT) && !b.startsWith('@ts-') && b !== 'ts-directives' && !/^import(?:-type)?:/.test(b)));
  // Relative bans name files as seen from the exercise file, even while scanning a helper of it.
  const modules = moduleBans(bans, options.bansFrom ?? fileName);
  const findings: Finding[] = [];

  const report = (node: ts.Node | ts.TextRange, ban: string, what: string, because: string | undefined): void => {
    const start = 'getStart' in node ? node.getStart(sf) : node.pos;
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    const code = text.slice(start, node.end).replace(/\s+/g, ' ').slice(0, 60);
    const reason = options.why ?? because ?? 'this exercise does not allow it';
    findings.push({ line: line + 1, column: character + 1, ban, code, message: `line ${line + 1}: ${what} — ${reason}` });
  };

  const visit = (node: ts.Node): void => {
    if (want.has('any') && node.kind === t.SyntaxKind.AnyKeyword) report(node, 'any', WHAT['any']!, BECAUSE['any']);
    if (want.has('as') && (t.isAsExpression(node) || t.isTypeAssertionExpression(node)) && !t.isConstTypeReference(node.type)) {
      report(node, 'as', `${WHAT['as']!} (\`${node.getText(sf).replace(/\s+/g, ' ').slice(0, 40)}\`)`, BECAUSE['as']);
    }
    if (want.has('non-null') && t.isNonNullExpression(node)) report(node, 'non-null', WHAT['non-null']!, BECAUSE['non-null']);
    if (want.has('private')) {
      if (node.kind === t.SyntaxKind.PrivateKeyword) report(node, 'private', WHAT['private']!, undefined);
      if (t.isPrivateIdentifier(node) && node.parent !== undefined && !t.isPropertyAccessExpression(node.parent) && !t.isBinaryExpression(node.parent)) {
        report(node, 'private', WHAT['private']!, undefined);
      }
    }
    if (want.has('async') && node.kind === t.SyntaxKind.AsyncKeyword) report(node, 'async', WHAT['async']!, undefined);
    if (want.has('await')) {
      if (t.isAwaitExpression(node)) report(node, 'await', WHAT['await']!, undefined);
      if (t.isForOfStatement(node) && node.awaitModifier !== undefined) report(node, 'await', 'uses `for await`', undefined);
    }
    if (names.size > 0) {
      if (t.isIdentifier(node) && names.has(node.text)) report(node, node.text, `uses \`${node.text}\``, undefined);
      if (t.isElementAccessExpression(node) && t.isStringLiteralLike(node.argumentExpression) && names.has(node.argumentExpression.text)) {
        report(node, node.argumentExpression.text, `uses \`${node.argumentExpression.text}\``, undefined);
      }
    }
    t.forEachChild(node, visit);
  };
  visit(sf);
  for (const hit of findModuleUses(t, sf, modules, fileName)) report(hit.node, hit.ban, hit.what, undefined);

  const directives = ['@ts-ignore', '@ts-expect-error', '@ts-nocheck'].filter((d) => want.has(d) || want.has('ts-directives'));
  if (directives.length > 0) {
    for (const c of comments(t, sf)) {
      const m = /^(?:\/\/\/?|\/\*+)\s*(@ts-(?:ignore|expect-error|nocheck))\b/.exec(text.slice(c.pos, c.end));
      if (m !== null && directives.includes(m[1]!)) {
        report(c, want.has(m[1]!) ? m[1]! : 'ts-directives', `uses \`${m[1]!}\``, BECAUSE['ts-directive']);
      }
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Every comment in the file, found through the tokens so that comments inside strings are not included. */
function comments(t: typeof ts, sf: ts.SourceFile): ts.CommentRange[] {
  const text = sf.text;
  const seen = new Map<number, ts.CommentRange>();
  const collect = (ranges: ts.CommentRange[] | undefined): void => {
    for (const r of ranges ?? []) seen.set(r.pos, r);
  };
  const walk = (node: ts.Node): void => {
    collect(t.getLeadingCommentRanges(text, node.getFullStart()));
    collect(t.getTrailingCommentRanges(text, node.getFullStart()));
    for (const child of node.getChildren(sf)) walk(child);
  };
  walk(sf);
  return [...seen.values()].sort((a, b) => a.pos - b.pos);
}
