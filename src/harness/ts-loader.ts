// Module hooks (node:module register) that let a worker import TypeScript: `.ts` sources are
// transpiled with TypeScript's transpileModule, and extensionless relative imports (`./x`, as the
// course writes them) resolve to `./x.ts`. Runs in Node's loader thread.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type ts from 'typescript';

type Next<A extends unknown[], R> = (...args: A) => Promise<R>;
interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface Loaded {
  format: string;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}

const requireHere = createRequire(import.meta.url);
let typescript: typeof ts | undefined;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next<[string, { parentURL?: string }], Resolved>): Promise<Resolved> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (!relative || /\.[cm]?[jt]s$/.test(specifier) || context.parentURL === undefined) throw error;
    return next(`${specifier}.ts`, context);
  }
}

export async function load(url: string, context: { format?: string | null }, next: Next<[string, { format?: string | null }], Loaded>): Promise<Loaded> {
  if (!/\.m?ts$/.test(url) || !url.startsWith('file:')) return next(url, context);
  typescript ??= requireHere('typescript') as typeof ts;
  const t = typescript;
  const fileName = fileURLToPath(url);
  const out = t.transpileModule(readFileSync(fileName, 'utf8'), {
    fileName,
    compilerOptions: { module: t.ModuleKind.ESNext, target: t.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
