// `npm run learn [-- <dir>]` from a clone: opens the tutorial in a workspace folder beside the
// clone (../async-lessons-workspace by default), setting it up on first use — what
// `npx async-lessons` does for a published release.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = path.resolve(root, process.argv[2] ?? '../async-lessons-workspace');
mkdirSync(dir, { recursive: true });
console.log(`Workspace folder: ${dir}`);
const result = spawnSync(process.execPath, [path.join(root, 'dist/cli.js')], { cwd: dir, stdio: 'inherit' });
process.exitCode = result.status ?? 1;
