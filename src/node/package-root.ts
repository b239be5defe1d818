import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | undefined;

/** The installed async-lessons package: the same walk works from dist/cli.js and from src/ in tests. */
export function packageInfo(): { root: string; version: string } {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'async-lessons') return (cached = { root: dir, version: pkg.version ?? '0.0.0' });
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('async-lessons could not find its own package.json');
    dir = up;
  }
}
