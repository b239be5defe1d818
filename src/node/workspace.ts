import { readFileSync } from 'node:fs';
import { cp, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { builtinCourseRoot, loadCourse, type LoadedCourse } from './course-loader.js';
import { courseLibDeclarations, inCourseLib, type Declarations } from './course-lib.js';
import { exists, listFiles, writeFileAtomic } from './fs-utils.js';

export { listFiles };
import { packageInfo } from './package-root.js';

export const STATE_DIR = '.async-lessons';

const WorkspaceMetaSchema = z.object({
  format: z.literal(1),
  course: z.union([z.object({ builtin: z.literal(true) }), z.object({ path: z.string() })]),
  name: z.string(),
  version: z.string(),
  createdAt: z.string(),
  /** The newer course version the learner was already told about, so it is said once. */
  announced: z.string().optional(),
});
export type WorkspaceMeta = z.infer<typeof WorkspaceMetaSchema>;

export interface Workspace {
  root: string;
  meta: WorkspaceMeta;
  exercisesDir: string;
  solutionsDir: string;
  stateDir: string;
}

export const metaFile = (root: string) => path.join(root, STATE_DIR, 'workspace.json');

/** The workspace containing `dir` (or `dir` itself), found by walking up to `.async-lessons/workspace.json`. */
export async function findWorkspace(dir: string): Promise<Workspace | undefined> {
  let current = path.resolve(dir);
  for (;;) {
    if (await exists(metaFile(current))) return openWorkspace(current);
    const up = path.dirname(current);
    if (up === current) return undefined;
    current = up;
  }
}

/** The folder bare `async-lessons` sets up in a non-empty folder. */
export const BESIDE = 'async-lessons';

/** The workspace bare `async-lessons` made earlier in `dir` when `dir` was not empty: ./async-lessons/. */
export async function workspaceBeside(dir: string): Promise<Workspace | undefined> {
  const child = path.join(path.resolve(dir), BESIDE);
  return (await exists(metaFile(child))) ? openWorkspace(child) : undefined;
}

export async function openWorkspace(root: string): Promise<Workspace> {
  let meta: WorkspaceMeta;
  try {
    meta = WorkspaceMetaSchema.parse(JSON.parse(await readFile(metaFile(root), 'utf8')));
  } catch {
    throw new UserError(`${metaFile(root)} is damaged, so async-lessons cannot tell which course this workspace belongs to.`, {
      next: 'Restore it from version control, or set up a fresh workspace elsewhere with `async-lessons init <dir>` and copy your exercise files into it.',
      code: 'BAD_WORKSPACE',
    });
  }
  return {
    root,
    meta,
    exercisesDir: path.join(root, 'exercises'),
    solutionsDir: path.join(root, 'solutions'),
    stateDir: path.join(root, STATE_DIR),
  };
}

/** The course a workspace was made from. */
export async function workspaceCourse(ws: Workspace): Promise<LoadedCourse> {
  if ('builtin' in ws.meta.course) return loadCourse(builtinCourseRoot());
  const dir = ws.meta.course.path;
  if (!(await exists(path.join(dir, 'info.toml')))) {
    throw new UserError(`This workspace was made from the course at ${dir}, which is no longer there.`, {
      next: `Put the course back at that path, or edit "course.path" in ${path.relative(process.cwd(), metaFile(ws.root)) || metaFile(ws.root)}.`,
      code: 'COURSE_GONE',
    });
  }
  return loadCourse(dir);
}

/**
 * Every file init writes, relative to the workspace root. The course library (`exercises/_*`)
 * comes as declarations only: its implementations hold answers (see course-lib.ts).
 */
export async function plannedFiles(loaded: LoadedCourse, declarations: Declarations): Promise<string[]> {
  const files = (await listFiles(path.join(loaded.root, 'exercises'))).filter((f) => !inCourseLib(f)).map((f) => `exercises/${f}`);
  for (const rel of declarations.keys()) files.push(`exercises/${rel}`);
  for (const e of loaded.course.exercises) for (const f of e.learnerFiles) files.push(`solutions/${f}`);
  files.push('package.json', 'tsconfig.json', '.gitignore');
  return files;
}

export const solutionPlaceholder = (rel: string, name: string) =>
  `// The reference solution for ${name} appears here once your exercises/${rel} passes.\n// (\`async-lessons solution ${name}\` shows it with a diff against yours.)\nexport {};\n`;

/** Creates a workspace in `dir` from `loaded`. Refuses to overwrite anything. */
export async function initWorkspace(dir: string, loaded: LoadedCourse): Promise<Workspace> {
  const root = path.resolve(dir);
  if (await exists(metaFile(root))) {
    throw new UserError(`${root} is already an async-lessons workspace.`, { next: 'Run `async-lessons` there to continue where you left off.', code: 'ALREADY_WORKSPACE' });
  }
  // Made before anything is written, so a course library TypeScript cannot read leaves no half workspace.
  const declarations = await courseLibDeclarations(loaded.root);
  const planned = await plannedFiles(loaded, declarations);
  const clashes: string[] = [];
  for (const f of planned) if (await exists(path.join(root, f))) clashes.push(f);
  if (clashes.length > 0) {
    throw new UserError(`Setting up here would overwrite ${clashes.length} existing file${clashes.length === 1 ? '' : 's'}: ${clashes.slice(0, 5).join(', ')}${clashes.length > 5 ? ', …' : ''}.`, {
      next: 'Nothing was written. Choose an empty folder: `async-lessons init <new-folder>`.',
      code: 'WOULD_OVERWRITE',
    });
  }
  await mkdir(path.join(root, STATE_DIR), { recursive: true });
  const courseExercises = path.join(loaded.root, 'exercises');
  await cp(courseExercises, path.join(root, 'exercises'), {
    recursive: true,
    errorOnExist: true,
    force: false,
    // The `_*` folders themselves are skipped; their declarations are written below.
    filter: async (from) => !(path.dirname(from) === courseExercises && path.basename(from).startsWith('_') && (await lstat(from)).isDirectory()),
  });
  for (const [rel, text] of declarations) await writeFileAtomic(path.join(root, 'exercises', rel), text);
  for (const e of loaded.course.exercises) {
    for (const f of e.learnerFiles) await writeFileAtomic(path.join(root, 'solutions', f), solutionPlaceholder(f, e.name));
  }
  await writeFile(path.join(root, 'package.json'), workspacePackageJson(loaded));
  await writeFile(path.join(root, 'tsconfig.json'), WORKSPACE_TSCONFIG);
  await writeFile(path.join(root, '.gitignore'), 'node_modules/\n.async-lessons/backups/\n');
  await copyHarnessTypes(root);
  const meta: WorkspaceMeta = {
    format: 1,
    course: loaded.builtin ? { builtin: true } : { path: loaded.root },
    name: loaded.id.name,
    version: loaded.id.version,
    createdAt: new Date().toISOString(),
  };
  await writeFileAtomic(metaFile(root), `${JSON.stringify(meta, null, 2)}\n`);
  return openWorkspace(root);
}

/** The harness's type declarations, so the learner's editor resolves `async-lessons/harness` offline. */
export async function copyHarnessTypes(root: string): Promise<void> {
  const from = path.join(packageInfo().root, 'dist', 'harness');
  const to = path.join(root, STATE_DIR, 'types', 'harness');
  await mkdir(to, { recursive: true });
  for (const f of await listFiles(from)) {
    if (f.endsWith('.d.ts')) await cp(path.join(from, f), path.join(to, f));
  }
}

function workspacePackageJson(loaded: LoadedCourse): string {
  const deps = (JSON.parse(readFileSyncSafe(path.join(packageInfo().root, 'package.json'))) as { dependencies?: Record<string, string> }).dependencies ?? {};
  const pick = (n: string) => deps[n] ?? 'latest';
  return `${JSON.stringify(
    {
      name: `${loaded.id.name}-workspace`.replace(/[^a-z0-9._-]/gi, '-').toLowerCase(),
      private: true,
      type: 'module',
      description: 'Your async-lessons workspace. `npm install` gives your editor the types; the checks never need it.',
      devDependencies: { typescript: pick('typescript'), '@types/node': pick('@types/node'), vitest: pick('vitest') },
    },
    null,
    2,
  )}\n`;
}

const readFileSyncSafe = (f: string): string => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '{}';
  }
};

const WORKSPACE_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      paths: { 'async-lessons/harness': ['./.async-lessons/types/harness/index.d.ts'] },
    },
    include: ['exercises', 'solutions'],
  },
  null,
  2,
)}\n`;
