import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './helpers.js';

/*
 * The layer rules (README, "Development"), checked over the real import graph of src/:
 * core is pure; ui draws and reads keys; harness stands apart (checks import it in test workers);
 * the engine is reached only through its entry; nothing imports back up into commands or the CLI.
 */

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const src = path.join(repoRoot, 'src');
const files = (function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [path.join(dir, d.name)] : []));
})(src);

const IMPORT_RE = /^\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[3] ?? m[4]!;
      const to = spec.startsWith('.') ? path.relative(src, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '') : spec;
      out.push({ from: path.relative(src, file).replace(/\.tsx?$/, ''), to, typeOnly: Boolean(m[2]) });
    }
  }
  return out;
}

const all = edges();
const inside = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
const violations = (rule: (e: Edge) => boolean) => all.filter(rule).map((e) => `${e.from} → ${e.to}`);

test('the graph is read (a rule over no edges proves nothing)', () => {
  expect(files.length).toBeGreaterThan(50);
  expect(all.filter((e) => inside(e.from, 'core')).length).toBeGreaterThan(5);
  expect(all.some((e) => e.from === 'cli' && inside(e.to, 'commands'))).toBe(true);
});

test('core imports nothing but core, zod and smol-toml (no IO, no node modules)', () => {
  expect(violations((e) => inside(e.from, 'core') && !inside(e.to, 'core') && !['zod', 'smol-toml'].includes(e.to))).toEqual([]);
});

test('ui imports no node adapters (types only) and no file system or process modules', () => {
  expect(violations((e) => inside(e.from, 'ui') && inside(e.to, 'node') && !e.typeOnly)).toEqual([]);
  expect(violations((e) => inside(e.from, 'ui') && /^(node:)?(fs|fs\/promises|child_process|process|worker_threads)$/.test(e.to))).toEqual([]);
});

test('the harness stands apart: it imports no runner code', () => {
  expect(violations((e) => inside(e.from, 'harness') && (inside(e.to, 'node') || inside(e.to, 'commands') || inside(e.to, 'ui') || e.to === 'cli'))).toEqual([]);
});

test('nothing imports back up into commands or the CLI', () => {
  expect(violations((e) => !inside(e.from, 'commands') && e.from !== 'cli' && e.from !== 'launcher' && (inside(e.to, 'commands') || e.to === 'cli'))).toEqual([]);
});

test('the engine is reached only through its entry, node/engine/index (host, threads and protocol stay inside)', () => {
  expect(violations((e) => !inside(e.from, 'node/engine') && inside(e.to, 'node/engine') && e.to !== 'node/engine/index' && !e.typeOnly)).toEqual([]);
});

test('inside the engine a file’s folder says where it runs: worker code imports no host or client code, host code no client code', () => {
  const where = (p: string) => /^node\/engine\/(client|host|worker|types|shared)\//.exec(p)?.[1];
  const allowed: Record<string, string[]> = { worker: ['worker', 'shared'], host: ['host', 'shared'], types: ['types', 'shared'], shared: ['shared'], client: ['client', 'shared', 'types'] };
  expect(violations((e) => {
    const a = where(e.from);
    const b = where(e.to);
    return a !== undefined && b !== undefined && !e.typeOnly && !allowed[a]!.includes(b);
  })).toEqual([]);
});
