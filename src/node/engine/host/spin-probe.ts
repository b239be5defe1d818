import { createRequire } from 'node:module';
import type ts from 'typescript';
import { SPIN_PROBE } from '../shared/protocol.js';

/*
 * Where does a blocked test spin? Node's permission model turns the inspector off in the confined
 * workers, and a worker whose loop never turns can answer nothing. So, for a diagnostic re-run
 * only, the learner's files are transformed with a probe at the top of every loop body:
 * `__asyncLessonsSpin("file", line, column, "fn")`. The worker's setup defines it to write, now and then
 * (every 16 k calls, at most every 100 ms), which loop it is in to the run's live file, which the
 * worker may write anyway. The probes are inserted on the lines they belong to, so every line
 * number of the file stays what the learner sees; nothing is relaxed, the same confinement holds.
 */


const requireHere = createRequire(import.meta.url);
let typescript: typeof ts | undefined;

interface Edit {
  at: number;
  text: string;
}

/** `code` with a probe at the start of each loop body, or undefined when it has no loop. */
export function instrumentLoops(code: string, file: string): string | undefined {
  const t = (typescript ??= requireHere('typescript') as typeof ts);
  const source = t.createSourceFile(file, code, t.ScriptTarget.Latest, true, /\.tsx$/.test(file) ? t.ScriptKind.TSX : t.ScriptKind.TS);
  const edits: Edit[] = [];
  const nameOf = (node: ts.Node): string => {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (t.isFunctionDeclaration(n) || t.isMethodDeclaration(n) || t.isFunctionExpression(n)) return n.name?.getText(source) ?? '(anonymous function)';
      if (t.isArrowFunction(n)) return t.isVariableDeclaration(n.parent) ? n.parent.name.getText(source) : '(arrow function)';
      if (t.isConstructorDeclaration(n)) return 'constructor';
      if (t.isGetAccessor(n) || t.isSetAccessor(n)) return n.name.getText(source);
    }
    return '(top level)';
  };
  const visit = (node: ts.Node): void => {
    if (t.isIterationStatement(node, false)) {
      const body = node.statement;
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
      const probe = `${SPIN_PROBE}(${JSON.stringify(file)}, ${line + 1}, ${character + 1}, ${JSON.stringify(nameOf(node))});`;
      if (t.isBlock(body)) edits.push({ at: body.getStart(source) + 1, text: probe });
      else {
        edits.push({ at: body.getStart(source), text: `{${probe}` });
        edits.push({ at: body.getEnd(), text: '}' });
      }
    }
    t.forEachChild(node, visit);
  };
  visit(source);
  if (edits.length === 0) return undefined;
  let out = code;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at);
  return out;
}

/** The vite plugin the host's vitest runs with: probes the files `probed()` names, nothing else. */
export function spinProbePlugin(probed: () => ReadonlySet<string>) {
  return {
    name: 'async-lessons:spin-probe',
    enforce: 'pre' as const,
    transform(code: string, id: string) {
      const file = id.replace(/[?#].*$/, '');
      if (!probed().has(file)) return undefined;
      const out = instrumentLoops(code, file);
      return out === undefined ? undefined : { code: out, map: null };
    },
  };
}
