import { constants, rmSync } from 'node:fs';
import { access, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Exercise } from '../../../core/course-schema.js';
import { UserError } from '../../../core/errors.js';
import { listFiles, sha256 } from '../../fs-utils.js';
import { packageInfo } from '../../package-root.js';
import { DEFAULT_TIMEOUT_MS } from '../check-runner.js';
import { AREA_FILES, TRACK_PROMISES_KEY } from '../shared/protocol.js';

/*
 * How pristine checks meet learner code — one mechanism for run, watch, verify and grade.
 *
 * Each check runs in a "slot" of a run area (a private temp folder): the exercise's check files,
 * fixtures and the course's shared `_*` folders are copied from the *course* (never the workspace),
 * and the learner's files are copied in as a snapshot. `import './name'` in a check therefore
 * reaches the learner's file, while a learner who edits a check file in the workspace changes only
 * their own copy. We chose this over a resolve hook that redirects imports into the workspace:
 * - the verdict is tied to the exact bytes that were checked (we hash what we copied), so a save
 *   landing mid-run can never produce a verdict for a half-old file;
 * - the confined worker needs read access to one small folder, not the learner's whole workspace;
 * - grading needs exactly this anyway (a copy of each submission overlaid with pristine checks),
 *   and slots give each target distinct paths, so many can run in one vitest instance;
 * - copying a handful of small files costs well under a millisecond per run, against ~40 ms for a
 *   warm re-run (measured: see bench/).
 * `vitest` and `async-lessons/harness` resolve through a node_modules folder of symlinks at the top
 * of the area, pointing at the installed package and its dependencies wherever npm put them.
 */

export interface LearnerSource {
  /** Folder holding `<topic>/<file>` learner files (a workspace's exercises/, a solutions/ folder…). */
  dir: string;
  /** Folder that verdict paths are shown relative to. */
  displayBase: string;
}

export interface Slot {
  exercise: Exercise;
  /** The slot's exercises/ folder. */
  exercisesDir: string;
  testFile: string;
  /** Absolute slot path → the path shown to the learner. */
  display: Map<string, string>;
  /** Absolute slot path → its content, for code frames. */
  sources: Map<string, string>;
  learnerFiles: Set<string>;
  /** Files whose content differs from the slot's previous placement (all of them the first time). */
  changed: string[];
  /** sha256 over every file placed: equal signatures, equal inputs, equal verdicts. */
  signature: string;
}

const requireHere = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(requireHere.resolve(`${name}/package.json`));
}

/**
 * The shared folder of run areas: one per user where the shared one is not ours to write (an
 * earlier `sudo` run left /tmp/async-lessons-runs owned by root).
 */
async function runsBase(): Promise<string> {
  const shared = path.join(os.tmpdir(), 'async-lessons-runs');
  try {
    await mkdir(shared, { recursive: true });
    await access(shared, constants.W_OK | constants.X_OK);
    return shared;
  } catch {
    const mine = path.join(os.tmpdir(), `async-lessons-runs-${os.userInfo().uid}`);
    await mkdir(mine, { recursive: true, mode: 0o700 });
    return mine;
  }
}

/** The timeout of a diagnostic re-run that names where a never-settled test is stuck. */
export const PINPOINT_TIMEOUT_MS = 2000;

export class RunArea {
  private count = 0;
  private readonly placed = new Map<Slot, string[]>();
  private constructor(readonly root: string) {}

  static async create(): Promise<RunArea> {
    const base = await runsBase();
    await sweepAbandoned(base);
    const root = await mkdtemp(path.join(base, `area-${process.pid}-`));
    const modules = path.join(root, 'node_modules');
    await mkdir(modules);
    await symlink(packageDir('vitest'), path.join(modules, 'vitest'), 'dir');
    await symlink(packageInfo().root, path.join(modules, 'async-lessons'), 'dir');
    removeAtExit(root);
    return new RunArea(root);
  }

  /**
   * Assembles one slot: pristine checks from the course, a snapshot of the learner's files. With a
   * `key` the slot is stable (the warm engine re-places the same exercise in the same folder and
   * rewrites only what changed, so vitest's caches survive); without one each call gets a new slot.
   */
  async place(courseRoot: string, exercise: Exercise, learner: LearnerSource, key?: string): Promise<Slot> {
    const slotRoot = path.join(this.root, key === undefined ? `s${++this.count}` : `k-${sha256(key).slice(0, 12)}`);
    const exercisesDir = path.join(slotRoot, 'exercises');
    const courseExercises = path.join(courseRoot, 'exercises');
    await mkdir(path.join(exercisesDir, exercise.dir), { recursive: true });
    const slot: Slot = {
      exercise,
      exercisesDir,
      testFile: path.join(exercisesDir, exercise.testFile),
      display: new Map(),
      sources: new Map(),
      learnerFiles: new Set(),
      changed: [],
      signature: '',
    };

    for (const shared of await sharedFolders(courseExercises)) {
      for (const rel of await listFiles(path.join(courseExercises, shared))) {
        await this.copy(slot, path.join(courseExercises, shared, rel), `${shared}/${rel}`, `exercises/${shared}/${rel}`, false, false);
      }
    }
    const pristine = exercise.kind === 'types' ? exercise.checkFiles : [exercise.testFile, ...exercise.checkFiles];
    for (const rel of pristine) {
      await this.copy(slot, path.join(courseExercises, rel), rel, `exercises/${rel}`, false);
    }
    for (const rel of exercise.learnerFiles) {
      const from = path.join(learner.dir, rel);
      await this.copy(slot, from, rel, path.relative(learner.displayBase, from).split(path.sep).join('/'), true);
    }
    slot.signature = sha256(JSON.stringify([...this.placed.get(slot) ?? []].sort()));
    this.placed.delete(slot);
    return slot;
  }

  private async copy(slot: Slot, from: string, rel: string, shown: string, isLearner: boolean, keepSource = true): Promise<void> {
    let info;
    try {
      info = await lstat(from);
    } catch {
      throw new UserError(`${shown} is missing.`, {
        next: isLearner ? `Run \`async-lessons reset ${slot.exercise.name}\` to restore it.` : 'The course is incomplete; reinstall async-lessons or fix the course.',
        code: 'MISSING_FILE',
      });
    }
    // A symlink could point the check at any file on the machine; exercises are plain files.
    if (info.isSymbolicLink() || !info.isFile()) {
      throw new UserError(`${shown} is a ${info.isSymbolicLink() ? 'symbolic link' : 'folder'}, not a plain file; the runner refuses it.`, {
        next: `Replace it with a regular file (\`async-lessons reset ${slot.exercise.name}\` restores the original).`,
        code: 'NOT_A_FILE',
      });
    }
    const content = await readFile(from, 'utf8');
    const to = path.join(slot.exercisesDir, rel);
    this.placed.set(slot, [...(this.placed.get(slot) ?? []), `${rel}:${sha256(content)}`]);
    const before = await readFile(to, 'utf8').catch(() => undefined);
    if (before !== content) {
      await mkdir(path.dirname(to), { recursive: true });
      await writeFile(to, content);
      slot.changed.push(to);
    }
    slot.display.set(to, shown);
    if (keepSource) slot.sources.set(to, content);
    if (isLearner) slot.learnerFiles.add(to);
  }

  get timeoutsFile(): string {
    return path.join(this.root, AREA_FILES.timeouts);
  }

  /** Per check file timeouts, read by the worker setup; returns them too. */
  async writeTimeouts(slots: Slot[], trackPromisesOf?: Slot): Promise<Map<string, number>> {
    const map = new Map(slots.map((s) => [s.testFile, s.exercise.timeoutMs ?? DEFAULT_TIMEOUT_MS]));
    // A diagnostic re-run need not wait the whole timeout again: the first run proved the test
    // never settles, and a test of this course settles within 2 s when it settles at all.
    if (trackPromisesOf) map.set(trackPromisesOf.testFile, Math.min(map.get(trackPromisesOf.testFile)!, PINPOINT_TIMEOUT_MS));
    const track = trackPromisesOf ? { [TRACK_PROMISES_KEY]: trackPromisesOf.testFile } : {};
    await writeFile(this.timeoutsFile, JSON.stringify({ '*': DEFAULT_TIMEOUT_MS, ...Object.fromEntries(map), ...track }));
    return map;
  }

  /** The vitest config for a cold run over these slots. */
  async writeConfig(options: { reporter: string; setup: string; include: string[] }): Promise<string> {
    const config = {
      test: {
        include: options.include,
        pool: 'forks',
        testTimeout: DEFAULT_TIMEOUT_MS,
        hookTimeout: DEFAULT_TIMEOUT_MS,
        allowOnly: false,
        passWithNoTests: false,
        watch: false,
        reporters: [options.reporter],
        // Only our own setup file: it marks which test is running (see setup.ts).
        setupFiles: [options.setup],
        globals: false,
      },
    };
    const file = path.join(this.root, 'vitest.config.mjs');
    await writeFile(file, `export default ${JSON.stringify(config, null, 2)};\n`);
    return file;
  }

  async dispose(): Promise<void> {
    live.delete(this.root);
    await rm(this.root, { recursive: true, force: true });
  }
}

/**
 * Areas of this process not disposed yet. A command stopped by Ctrl-C exits from its signal
 * handler, where no async close runs: its areas go at exit, rather than waiting in the temp folder
 * for the next command's sweep.
 */
const live = new Set<string>();
function removeAtExit(root: string): void {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => {
      for (const r of live) {
        try {
          rmSync(r, { recursive: true, force: true });
        } catch {
          // Left for the next command's sweep.
        }
      }
    });
  }
  live.add(root);
}
let exitHooked = false;

/** Areas left by a runner that was killed (its pid is gone) are removed by the next one. */
async function sweepAbandoned(base: string): Promise<void> {
  for (const name of await readdir(base).catch(() => [] as string[])) {
    const pid = Number(/^area-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') await rm(path.join(base, name), { recursive: true, force: true });
    }
  }
}

async function sharedFolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name.startsWith('_')).map((d) => d.name);
  } catch {
    return [];
  }
}
