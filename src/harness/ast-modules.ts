/*
 * Module bans (`import:<module>`) for ast.ts, compared by the file a specifier resolves to rather
 * than by its spelling: `./../_lib/runtime`, `../_lib//runtime.js` and `'../_lib/' + 'runtime'` all
 * load `../_lib/runtime.ts`, so a ban on one spelling is a ban on all of them.
 *
 * Specifiers are resolved lexically against the scanned file's folder, then through the real file
 * on disk when there is one (a case-insensitive file system reaches the same file as `../_LIB/x`).
 * A loader given a name this scan cannot work out (`import(x)`) is reported whenever a module ban
 * is active: the learner cannot show what it loads. So is everything that hands out a loader the
 * scan cannot follow (`node:module`, `process.getBuiltinModule`, `eval`, `new Function`).
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type ts from 'typescript';
import { constants, foldString } from './ast-fold.js';

/** A module ban, read from `import:<m>` (runtime loads) or `import-type:<m>` (type-only imports too). */
interface ModuleBan {
  label: string;
  types: boolean;
  target: Target;
}
type Target = { kind: 'bare'; name: string } | { kind: 'file'; file: string };

/** Where a use of a banned module was found and what to say about it. */
export interface ModuleHit {
  node: ts.Node;
  ban: string;
  what: string;
}

const EXT = /\.(?:d\.)?[mc]?[jt]sx?$/;
const TRY = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** The canonical name of a file or folder: its real path when it exists, extension dropped. */
function canonical(p: string): string {
  const lexical = path.resolve(p).replace(EXT, '');
  for (const ext of TRY) {
    if (!existsSync(lexical + ext)) continue;
    try {
      return realpathSync.native(lexical + ext).replace(EXT, '');
    } catch {
      break;
    }
  }
  return lexical;
}

/** What a specifier names, seen from a file in `dir`. */
export function resolveSpecifier(spec: string, dir: string): Target {
  let s = spec.replace(/[?#].*$/s, '');
  if (s.startsWith('file:')) {
    try {
      s = fileURLToPath(s);
    } catch {
      return { kind: 'bare', name: s };
    }
  }
  if (s.startsWith('/@fs/')) s = s.slice('/@fs'.length);
  if (s.startsWith('.') || path.isAbsolute(s)) return { kind: 'file', file: canonical(path.resolve(dir, s)) };
  return { kind: 'bare', name: s.replace(/^node:/, '').replace(EXT, '') };
}

function covers(ban: Target, got: Target): boolean {
  if (ban.kind === 'bare' && got.kind === 'bare') return got.name === ban.name || got.name.startsWith(`${ban.name}/`);
  if (ban.kind === 'file' && got.kind === 'file') return got.file === ban.file || got.file.startsWith(`${ban.file}${path.sep}`);
  return false;
}

/** The `import:`/`import-type:` bans among `bans`, their modules resolved from `fileName`'s folder. */
export function moduleBans(bans: readonly string[], fileName: string): ModuleBan[] {
  const dir = path.dirname(path.resolve(fileName));
  const out: ModuleBan[] = [];
  for (const label of bans) {
    const m = /^(import|import-type):(.+)$/s.exec(label);
    if (m !== null) out.push({ label, types: m[1] === 'import-type', target: resolveSpecifier(m[2]!, dir) });
  }
  return out;
}

/** Every use of a banned module in the file, and every load the scan cannot follow. */
export function findModuleUses(t: typeof ts, sf: ts.SourceFile, bans: readonly ModuleBan[], fileName: string): ModuleHit[] {
  if (bans.length === 0) return [];
  const dir = path.dirname(path.resolve(fileName));
  const hits: ModuleHit[] = [];
  const consumed = new Set<ts.Node>();
  const consts = constants(t, sf);
  const fold = (e: ts.Expression) => foldString(t, e, consts, dir, 0);
  const hitFor = (spec: string, typeOnly: boolean): ModuleBan | undefined => {
    const got = resolveSpecifier(spec, dir);
    return bans.find((b) => (b.types || !typeOnly) && covers(b.target, got));
  };
  const mark = (n: ts.Node): void => {
    consumed.add(n);
    t.forEachChild(n, mark);
  };
  const check = (node: ts.Node, specNode: ts.Expression | undefined, typeOnly: boolean, verb = 'imports'): void => {
    if (specNode === undefined) return;
    mark(specNode);
    const spec = fold(specNode);
    if (spec === undefined) {
      if (!typeOnly) hits.push({ node, ban: bans[0]!.label, what: `loads a module whose name is worked out at run time (\`${short(specNode.getText(sf))}\`), so the check cannot tell which module it is; name the module in a string literal` });
      return;
    }
    const ban = hitFor(spec, typeOnly);
    if (ban !== undefined) hits.push({ node, ban: ban.label, what: `${verb} \`${spec}\`${sameAs(spec, ban.label)}` });
  };
  const requirers = loaderNames(t, sf);
  const fileBans = bans.some((b) => b.target.kind === 'file');

  const visit = (node: ts.Node): void => {
    if (t.isImportDeclaration(node)) {
      check(node, node.moduleSpecifier, importIsTypeOnly(t, node));
      const spec = t.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : '';
      if (fileBans && !importIsTypeOnly(t, node) && /^(?:node:)?(?:module|vm)$/.test(spec) && hitFor(spec, false) === undefined) {
        hits.push({ node, ban: bans[0]!.label, what: `imports \`${spec}\`, which can load any file, including the ones this exercise keeps out` });
      }
    } else if (t.isExportDeclaration(node)) {
      if (node.moduleSpecifier !== undefined) check(node, node.moduleSpecifier, exportIsTypeOnly(t, node), 're-exports');
    } else if (t.isImportEqualsDeclaration(node) && t.isExternalModuleReference(node.moduleReference)) {
      check(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (t.isImportTypeNode(node) && t.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (t.isStringLiteral(lit)) check(node, lit, true);
    } else if (fileBans && t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && t.isMetaProperty(node.expression.expression) && node.expression.name.text === 'glob') {
      // vite turns import.meta.glob into imports of every matching file, which a pattern hides.
      for (const arg of node.arguments) mark(arg);
      hits.push({ node, ban: bans[0]!.label, what: `uses \`import.meta.glob\`, which loads every file its pattern matches; import the modules you need by name` });
    } else if (t.isCallExpression(node) && !consumed.has(node) && isLoader(t, node.expression, requirers)) {
      check(node, node.arguments[0] ?? node.expression, false, 'loads');
    } else if (fileBans && unfollowable(t, node)) {
      hits.push({ node, ban: bans[0]!.label, what: `uses \`${node.getText(sf)}\`, which can load or run code the check cannot read` });
    } else if (fileBans && t.isStringLiteralLike(node) && !consumed.has(node) && /^(?:\.{1,2}\/|\/|file:)/.test(node.text)) {
      // A path to a banned file in any string at all: loaders can be reached in ways a scan of call
      // shapes will never list (`[spec].map(require)`), but they all need the name.
      const ban = hitFor(node.text, false);
      if (ban !== undefined) hits.push({ node, ban: ban.label, what: `names \`${node.text}\`${sameAs(node.text, ban.label)}` });
    }
    t.forEachChild(node, visit);
  };
  visit(sf);
  return hits;
}

/** `eval`, `Function(…)`, `process.getBuiltinModule` and `Module._load`: loaders a scan cannot follow. */
function unfollowable(t: typeof ts, node: ts.Node): node is ts.Identifier {
  if (!t.isIdentifier(node)) return false;
  const p = node.parent;
  if (node.text === 'Function') return p !== undefined && (t.isCallExpression(p) || t.isNewExpression(p)) && p.expression === node;
  if (node.text !== 'eval' && node.text !== 'getBuiltinModule' && node.text !== '_load') return false;
  const declares = p !== undefined && (t.isPropertyAssignment(p) || t.isMethodDeclaration(p) || t.isPropertyDeclaration(p) || t.isFunctionDeclaration(p) || t.isVariableDeclaration(p)) && p.name === node;
  return !declares;
}

const short = (s: string) => s.replace(/\s+/g, ' ').slice(0, 40);
const sameAs = (spec: string, label: string) => {
  const banned = label.replace(/^import(?:-type)?:/, '');
  return spec === banned ? '' : ` (the same module as \`${banned}\`)`;
};

function importIsTypeOnly(t: typeof ts, node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return clause.name === undefined && named !== undefined && t.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

function exportIsTypeOnly(t: typeof ts, node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && t.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** `import()`, `require`, `x.require`, `require.resolve`, `createRequire(…)(…)`, `import.meta.resolve`, and names bound to a `createRequire(…)`. */
function isLoader(t: typeof ts, callee: ts.Expression, requirers: ReadonlySet<string>): boolean {
  if (callee.kind === t.SyntaxKind.ImportKeyword) return true;
  if (t.isIdentifier(callee)) return callee.text === 'require' || requirers.has(callee.text);
  if (t.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if (name === 'require' || name === 'getBuiltinModule') return true;
    if (name === 'resolve' && (t.isMetaProperty(callee.expression) || (t.isIdentifier(callee.expression) && callee.expression.text === 'require'))) return true;
  }
  if (t.isCallExpression(callee)) {
    const inner = callee.expression;
    return (t.isIdentifier(inner) && inner.text === 'createRequire') || (t.isPropertyAccessExpression(inner) && inner.name.text === 'createRequire');
  }
  return false;
}

function loaderNames(t: typeof ts, sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (t.isVariableDeclaration(node) && t.isIdentifier(node.name) && node.initializer !== undefined && t.isCallExpression(node.initializer)) {
      const callee = node.initializer.expression;
      if ((t.isIdentifier(callee) && callee.text === 'createRequire') || (t.isPropertyAccessExpression(callee) && callee.name.text === 'createRequire')) out.add(node.name.text);
    }
    t.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Existing files under `root` that `fileName` loads by a relative name (its own helpers, not the course library). */
export function localFiles(t: typeof ts, fileName: string, text: string, root: string): string[] {
  const sf = t.createSourceFile(fileName, text, t.ScriptTarget.Latest, true);
  const dir = path.dirname(fileName);
  const consts = constants(t, sf);
  const realRoot = canonical(root);
  const out: string[] = [];
  const add = (e: ts.Expression | undefined): void => {
    const spec = e === undefined ? undefined : foldString(t, e, consts, dir, 0);
    if (spec === undefined || !spec.startsWith('.')) return;
    const base = path.resolve(dir, spec.replace(/[?#].*$/s, '')).replace(EXT, '');
    for (const ext of TRY) {
      if (ext !== '' && existsSync(base + ext)) {
        const real = realpathSync.native(base + ext);
        if (real.startsWith(`${realRoot}${path.sep}`)) out.push(real);
        return;
      }
    }
  };
  const visit = (node: ts.Node): void => {
    if ((t.isImportDeclaration(node) || t.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) add(node.moduleSpecifier);
    else if (t.isCallExpression(node) && node.expression.kind === t.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    t.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
