import type ts from 'typescript';
import type { TypeFile } from '../shared/protocol.js';

/*
 * Type errors in the learner's terms. The checker sees the files of a run-area slot, so a message
 * naming a type the file does not import reads `import("/tmp/async-lessons-runs/area-…/k-…/exercises/
 * _lib/future").Waker`; and an `expectTypeOf` assertion fails with a message about its own
 * machinery ("does not satisfy the constraint 'never'", "Expected 1 arguments, but got 0").
 */

const stripExt = (p: string) => p.replace(/\.(d\.)?[cm]?tsx?$/, '');

/**
 * Rewrites every slot path in a message to the path the learner sees: each file's own display
 * path, then the slot's exercises/ folder (read off any course file, whose display is
 * `exercises/<rel>`) for the course library and the rest; a package reached through node_modules
 * becomes its package path.
 */
export function pathRewriter(files: TypeFile[]): (message: string) => string {
  const pairs = new Map<string, string>();
  for (const f of files) {
    pairs.set(f.path, f.display);
    pairs.set(stripExt(f.path), stripExt(f.display));
    if (!f.learner && f.path.endsWith(`/${f.display}`)) pairs.set(f.path.slice(0, -f.display.length), '');
  }
  const ordered = [...pairs].filter(([from]) => from.length > 1).sort((a, b) => b[0].length - a[0].length);
  return (message) => {
    let out = message;
    for (const [from, to] of ordered) out = out.split(from).join(to);
    return out
      .replace(/(["'])[^"'\s]*\/node_modules\/((?:@[^/"']+\/)?[^"']+)\1/g, '$1$2$1')
      .replace(/[^"'\s(]*\/async-lessons-runs\/area-[^/"'\s]+\/[^/"'\s]+\//g, '');
  };
}

const MATCHER_RE = /^to[A-Z]/;

// What a value-free matcher expects, in words.
const MATCHER_WORDS: Record<string, string> = {
  toBeAny: 'any',
  toBeUnknown: 'unknown',
  toBeNever: 'never',
  toBeFunction: 'a function',
  toBeObject: 'an object',
  toBeArray: 'an array',
  toBeNumber: 'number',
  toBeString: 'string',
  toBeBoolean: 'boolean',
  toBeVoid: 'void',
  toBeSymbol: 'symbol',
  toBeNull: 'null',
  toBeUndefined: 'undefined',
  toBeNullable: 'a type that includes null or undefined',
  toBeBigInt: 'bigint',
  toBeCallableWith: 'callable with these arguments',
  toBeConstructibleWith: 'constructible with these arguments',
};

const RELATION: Record<string, string> = {
  toEqualTypeOf: 'exactly',
  toMatchTypeOf: 'assignable to',
  toExtend: 'assignable to',
  toMatchObjectType: 'an object type with the properties of',
};

function nodeAt(t: typeof ts, sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (n.getStart(sf) <= pos && pos < n.end) {
      found = n;
      t.forEachChild(n, visit);
    }
  };
  t.forEachChild(sf, visit);
  return found;
}

/** The `expectTypeOf(…)` call a matcher chain starts from, and whether `.not` is on the way. */
function chainRoot(t: typeof ts, e: ts.Expression): { root: ts.CallExpression; negated: boolean } | undefined {
  let negated = false;
  let cur: ts.Expression = e;
  for (;;) {
    if (t.isCallExpression(cur)) {
      if (t.isIdentifier(cur.expression) && cur.expression.text === 'expectTypeOf') return { root: cur, negated };
      cur = cur.expression;
    } else if (t.isPropertyAccessExpression(cur)) {
      if (cur.name.text === 'not') negated = !negated;
      cur = cur.expression;
    } else if (t.isElementAccessExpression(cur) || t.isParenthesizedExpression(cur) || t.isNonNullExpression(cur)) {
      cur = cur.expression;
    } else {
      return undefined;
    }
  }
}

/**
 * One line for a diagnostic inside an `expectTypeOf(…).toX(…)` call: what the assertion expected and
 * what the subject's type is. Undefined when the diagnostic is not in such a call.
 */
export function explainExpectTypeOf(t: typeof ts, checker: ts.TypeChecker, sf: ts.SourceFile, pos: number): string | undefined {
  let n = nodeAt(t, sf, pos);
  while (n && !(t.isCallExpression(n) && t.isPropertyAccessExpression(n.expression) && MATCHER_RE.test(n.expression.name.text))) n = n.parent;
  if (!n || !t.isCallExpression(n) || !t.isPropertyAccessExpression(n.expression)) return undefined;
  const call = n;
  const callee = n.expression;
  const chain = chainRoot(t, callee.expression);
  if (!chain) return undefined;
  const matcher = callee.name.text;
  const show = (type: ts.Type) => `\`${checker.typeToString(type, call, t.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope)}\``;

  let expected: string | undefined;
  const typeArg = call.typeArguments?.[0];
  const valueArg = call.arguments[0];
  if (matcher === 'toHaveProperty' && valueArg) expected = `a property ${valueArg.getText(sf)}`;
  else if (MATCHER_WORDS[matcher]) expected = MATCHER_WORDS[matcher];
  else if (typeArg) expected = `${RELATION[matcher] ?? ''} ${show(checker.getTypeFromTypeNode(typeArg))}`.trim();
  else if (valueArg) expected = `${RELATION[matcher] ?? ''} ${show(checker.getTypeAtLocation(valueArg))}`.trim();
  if (expected === undefined) return undefined;

  // The receiver is expect-type's `PositiveExpectTypeOf<Actual>` (or the negative one): Actual is its first type argument.
  const receiver = checker.getTypeAtLocation(callee.expression);
  const args = (receiver.flags & t.TypeFlags.Object) !== 0 ? checker.getTypeArguments(receiver as ts.TypeReference) : [];
  const found = args[0] ? show(args[0]) : undefined;
  const subject = callee.expression.getText(sf).replace(/\s+/g, ' ');
  return `${subject}: expected ${chain.negated ? 'anything but ' : ''}${expected}${found ? `, found ${found}` : ''}.`;
}
