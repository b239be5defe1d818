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
 * - `'import:<module>'`: importing that module or a subpath of it, statically, dynamically or with
 *   `require` (`'import:vitest'`, `'import:node:timers'`; the `node:` prefix is optional either way);
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
  return scanSource(text, bans, { fileName: path, ...(why === undefined ? {} : { why }) });
}

/** As `scan`, but returns only the messages: `expect(banned(url, ['await'])).toEqual([])` shows them on failure. */
export function banned(file: string | URL, bans: readonly Ban[], why?: string): string[] {
  return scan(file, bans, why).map((f) => f.message);
}

/** As `scan`, for source text already in memory. */
export function scanSource(text: string, bans: readonly Ban[], options: { fileName?: string; why?: string } = {}): Finding[] {
  const t = loadTs();
  const fileName = options.fileName ?? 'input.ts';
  const kind = /\.[cm]?tsx$/.test(fileName) ? t.ScriptKind.TSX : t.ScriptKind.TS;
  const sf = t.createSourceFile(fileName, text, t.ScriptTarget.Latest, true, kind);
  const want = new Set<string>(bans);
  const names = new Set(bans.filter((b) => !(b in WHAT) && !b.startsWith('@ts-') && b !== 'ts-directives' && !b.startsWith('import:')));
  const imports = bans.filter((b) => b.startsWith('import:')).map((b) => b.slice('import:'.length));
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
    if (imports.length > 0) {
      const spec = moduleOf(t, node);
      const hit = spec === undefined ? undefined : imports.find((m) => sameModule(spec, m));
      if (spec !== undefined && hit !== undefined) report(node, `import:${hit}`, `imports \`${spec}\``, undefined);
    }
    t.forEachChild(node, visit);
  };
  visit(sf);

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

/** The module a node imports (static, dynamic, `require`, `import type`, `export … from`), if any. */
function moduleOf(t: typeof ts, node: ts.Node): string | undefined {
  if ((t.isImportDeclaration(node) || t.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && t.isStringLiteral(node.moduleSpecifier)) {
    return node.moduleSpecifier.text;
  }
  if (t.isImportEqualsDeclaration(node) && t.isExternalModuleReference(node.moduleReference) && t.isStringLiteral(node.moduleReference.expression)) {
    return node.moduleReference.expression.text;
  }
  if (t.isCallExpression(node)) {
    const [first] = node.arguments;
    const callee = node.expression;
    const loads = callee.kind === t.SyntaxKind.ImportKeyword || (t.isIdentifier(callee) && callee.text === 'require');
    if (loads && first !== undefined && t.isStringLiteralLike(first)) return first.text;
  }
  if (t.isImportTypeNode(node) && t.isLiteralTypeNode(node.argument) && t.isStringLiteral(node.argument.literal)) return node.argument.literal.text;
  return undefined;
}

// `../_lib/runtime`, `../_lib/runtime.ts` and `../_lib/runtime.js` name the same module.
const normalize = (m: string) => m.replace(/^node:/, '').replace(/\.(?:[mc]?[jt]s|tsx)$/, '');

function sameModule(spec: string, banned: string): boolean {
  const a = normalize(spec);
  const b = normalize(banned);
  return a === b || a.startsWith(`${b}/`);
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
