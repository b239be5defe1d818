import { lstat, mkdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageInfo } from './package-root.js';

/*
 * The learner's editor wants the types of what the exercises and their checks import (@types/node,
 * vitest, typescript). Those packages are already on disk: async-lessons depends on them, and npx
 * or a global install put them beside it. Linking the workspace's node_modules/<name> to them costs
 * nothing, where `npm install` in the workspace downloads a second copy (~67 MB, 10–20 s).
 *
 * The links point into npm's folders, which npm may later clear (the npx cache) or replace (an
 * upgrade): every start of watch mode re-links ours if they went stale. Only links we made are
 * ever touched; a real folder (the learner ran `npm install`) is left alone.
 */

export const EDITOR_PACKAGES = ['@types/node', 'vitest', 'typescript'] as const;

export interface LinkResult {
  linked: string[];
  /** Packages that could not be linked, and why (a real folder there, no such package, a refusal). */
  skipped: Array<{ name: string; why: string }>;
}

/** Where this package's own copy of `name` is, or undefined if it has none. */
function ownCopy(name: string): string | undefined {
  const require = createRequire(path.join(packageInfo().root, 'package.json'));
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** Links each editor package into `<wsRoot>/node_modules/` (again where a link of ours went stale). */
export async function linkEditorTypes(wsRoot: string): Promise<LinkResult> {
  const result: LinkResult = { linked: [], skipped: [] };
  for (const name of EDITOR_PACKAGES) {
    const target = ownCopy(name);
    if (!target) {
      result.skipped.push({ name, why: 'async-lessons has no copy of it' });
      continue;
    }
    const at = path.join(wsRoot, 'node_modules', name);
    try {
      const here = await lstat(at).catch(() => undefined);
      if (here && !here.isSymbolicLink()) {
        result.skipped.push({ name, why: 'installed in the workspace already' });
        continue;
      }
      if (here && (await readlink(at)) === target && (await exists(target))) {
        result.linked.push(name);
        continue;
      }
      if (here) await rm(at);
      await mkdir(path.dirname(at), { recursive: true });
      await symlink(target, at, 'dir');
      result.linked.push(name);
    } catch (error) {
      result.skipped.push({ name, why: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
  }
  return result;
}

/** True when the workspace's editor packages are links we made (so they are ours to refresh). */
export async function hasEditorLinks(wsRoot: string): Promise<boolean> {
  for (const name of EDITOR_PACKAGES) {
    const here = await lstat(path.join(wsRoot, 'node_modules', name)).catch(() => undefined);
    if (here?.isSymbolicLink()) return true;
  }
  return false;
}

const exists = (p: string) => stat(p).then(() => true, () => false);
