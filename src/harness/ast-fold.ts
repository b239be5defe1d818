/*
 * The string a module specifier expression always evaluates to, when the file alone shows it:
 * literals, templates, `+`, `concat`, `[…].join`, `const` names, `new URL(x, import.meta.url)` and
 * `import.meta.resolve(x)`. Anything else is undefined, and ast-modules.ts reports the load as one
 * it cannot follow.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type ts from 'typescript';

/** `const` bindings declared exactly once in the file (a name bound twice is not folded). */
export function constants(t: typeof ts, sf: ts.SourceFile): Map<string, ts.Expression | undefined> {
  const out = new Map<string, ts.Expression | undefined>();
  const visit = (node: ts.Node): void => {
    if (t.isVariableDeclaration(node) && t.isIdentifier(node.name)) {
      const isConst = t.isVariableDeclarationList(node.parent) && (node.parent.flags & t.NodeFlags.Const) !== 0;
      out.set(node.name.text, out.has(node.name.text) || !isConst ? undefined : node.initializer);
    } else if ((t.isParameter(node) || t.isFunctionDeclaration(node) || t.isClassDeclaration(node)) && node.name !== undefined && t.isIdentifier(node.name)) {
      out.set(node.name.text, undefined);
    }
    t.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The string an expression always evaluates to, when the file alone shows it; else undefined. */
export function foldString(t: typeof ts, e: ts.Expression, consts: Map<string, ts.Expression | undefined>, dir: string, depth: number): string | undefined {
  if (depth > 20) return undefined;
  const fold = (x: ts.Expression) => foldString(t, x, consts, dir, depth + 1);
  if (t.isStringLiteralLike(e)) return e.text;
  if (t.isNumericLiteral(e)) return String(Number(e.text));
  if (t.isParenthesizedExpression(e) || t.isAsExpression(e) || t.isSatisfiesExpression(e) || t.isNonNullExpression(e) || t.isTypeAssertionExpression(e)) return fold(e.expression);
  if (t.isTemplateExpression(e)) {
    let s = e.head.text;
    for (const span of e.templateSpans) {
      const v = fold(span.expression);
      if (v === undefined) return undefined;
      s += v + span.literal.text;
    }
    return s;
  }
  if (t.isBinaryExpression(e) && e.operatorToken.kind === t.SyntaxKind.PlusToken) {
    const a = fold(e.left);
    const b = a === undefined ? undefined : fold(e.right);
    return a === undefined || b === undefined ? undefined : a + b;
  }
  if (t.isIdentifier(e)) {
    const init = consts.get(e.text);
    return init === undefined ? undefined : fold(init);
  }
  // new URL(spec, import.meta.url) is the file URL of spec; .href, .pathname and String() keep it.
  if (t.isNewExpression(e) && t.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.length === 2) {
    const [spec, base] = e.arguments;
    const s = fold(spec!);
    if (s === undefined || !(t.isPropertyAccessExpression(base!) && t.isMetaProperty(base.expression))) return undefined;
    return s.startsWith('.') ? pathToFileURL(path.resolve(dir, s)).href : s;
  }
  if (t.isPropertyAccessExpression(e) && (e.name.text === 'href' || e.name.text === 'pathname')) {
    const s = fold(e.expression);
    return s !== undefined && e.name.text === 'pathname' && s.startsWith('file:') ? fileURLToPath(s) : s;
  }
  if (t.isCallExpression(e)) {
    const callee = e.expression;
    const [first, second] = e.arguments;
    if (t.isIdentifier(callee) && callee.text === 'String' && first !== undefined) return fold(first);
    if (t.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      if (name === 'toString' && e.arguments.length === 0) return fold(callee.expression);
      if (name === 'resolve' && t.isMetaProperty(callee.expression) && first !== undefined) return fold(first);
      if (name === 'concat') {
        const parts = [callee.expression, ...e.arguments].map((x) => (t.isSpreadElement(x) ? undefined : fold(x)));
        return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
      }
      if (name === 'join' && t.isArrayLiteralExpression(callee.expression)) {
        const parts = callee.expression.elements.map((x) => (t.isSpreadElement(x) ? undefined : fold(x)));
        const sep = second === undefined && first !== undefined ? fold(first) : first === undefined ? ',' : undefined;
        return sep !== undefined && parts.every((p) => p !== undefined) ? parts.join(sep) : undefined;
      }
    }
  }
  return undefined;
}
