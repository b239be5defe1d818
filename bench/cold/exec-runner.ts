import { execa, type ResultPromise } from 'execa';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Verdict } from '../../src/core/verdict.js';
import { isUserError } from '../../src/core/errors.js';
import { packageInfo } from '../../src/node/package-root.js';
import { DEFAULT_TIMEOUT_MS, type CheckRunner, type CheckTarget } from '../../src/node/engine/check-runner.js';
import { unplacedVerdict, vitestImportVerdict } from '../../src/node/engine/client/integrity.js';
import { BLOCK_GRACE_MS, LiveWatch, LOAD_GRACE_MS } from '../../src/node/engine/shared/live-watch.js';
import type { RawReport } from '../../src/node/engine/shared/raw-report.js';
import { RunArea, type Slot } from '../../src/node/engine/client/run-area.js';
import { toVerdict } from '../../src/node/engine/client/to-verdict.js';
import { decideVerdict, type RunEnd, type TypesAnswer } from '../../src/core/decide-verdict.js';
import { TypeService, typeFiles } from '../../src/node/engine/types/type-check.js';

// A blocked event loop stops vitest's own timeout, so the parent watches the live event stream
// (LiveWatch). A cold run boots its worker from nothing, so loading gets an extra second.
const COLD_LOAD_GRACE_MS = LOAD_GRACE_MS + 1000;
const POLL_MS = 100;

const requireHere = createRequire(import.meta.url);
const vitestBin = (): string => path.join(path.dirname(requireHere.resolve('vitest/package.json')), 'vitest.mjs');
const distFile = (name: string): string => path.join(packageInfo().root, 'dist', name);

interface GroupRun {
  report: RawReport | undefined;
  watch: LiveWatch;
  blocked: { file: string; test: string | undefined; forMs: number } | undefined;
  crash: { how: string; output: string[] } | undefined;
  durationMs: number;
}

/**
 * The simple CheckRunner: one cold `vitest run` per batch, in its own process group so that a kill
 * takes every worker with it. The warm check engine replaces it behind the same interface.
 */
export class ExecCheckRunner implements CheckRunner {
  private readonly children = new Set<ResultPromise>();
  private runs = 0;
  private types: TypeService | undefined;

  /** One exercise; a missing or refused file is a UserError here (the learner named it). */
  async check(target: CheckTarget): Promise<Verdict> {
    const [verdict] = await this.runAll([target], undefined, true);
    return verdict!;
  }

  /** Many exercises; one that cannot even be placed gets a failed verdict, the rest still run. */
  checkMany(targets: readonly CheckTarget[], onVerdict?: (v: Verdict, index: number) => void): Promise<Verdict[]> {
    return this.runAll(targets, onVerdict, false);
  }

  private async runAll(targets: readonly CheckTarget[], onVerdict: ((v: Verdict, index: number) => void) | undefined, strict: boolean): Promise<Verdict[]> {
    const area = await RunArea.create();
    try {
      const verdicts: Verdict[] = new Array(targets.length);
      const slots: Array<Slot | undefined> = [];
      for (const [i, t] of targets.entries()) {
        try {
          slots.push(await area.place(t.courseRoot, t.exercise, t.learner));
        } catch (error) {
          if (strict || !isUserError(error)) throw error;
          slots.push(undefined);
          verdicts[i] = unplacedVerdict(t.exercise.name, error);
          onVerdict?.(verdicts[i]!, i);
        }
      }
      const finish = async (i: number, v: Verdict) => {
        const slot = slots[i]!;
        let types: TypesAnswer;
        if (slot.exercise.kind !== 'runtime' && (v.status === 'passed' || slot.exercise.kind === 'types')) {
          const started = Date.now();
          types = { diagnostics: (this.types ??= new TypeService()).check(typeFiles(slot)), ms: Date.now() - started };
        }
        const learnerFiles = new Set([...slot.learnerFiles].map((f) => slot.display.get(f) ?? f));
        verdicts[i] = decideVerdict(v, types, { kind: slot.exercise.kind, learnerFiles, ...(targets[i]!.expectedTests ? { expectedTests: targets[i]!.expectedTests } : {}) });
        onVerdict?.(verdicts[i]!, i);
      };
      // Checks belong to the course: an exercise file that imports vitest could skip or fake them.
      const cheats = new Set<number>();
      for (const [i, slot] of slots.entries()) {
        const refused = slot && vitestImportVerdict(slot);
        if (!refused) continue;
        cheats.add(i);
        verdicts[i] = refused;
        onVerdict?.(refused, i);
      }
      const placed = slots.flatMap((s, i) => (s && !cheats.has(i) ? [{ s, i }] : []));
      const runtime = placed.filter(({ s }) => s.exercise.kind !== 'types');
      for (const { i } of placed.filter(({ s }) => s.exercise.kind === 'types')) {
        await finish(i, { exercise: slots[i]!.exercise.name, status: 'passed', durationMs: 0, tests: [], console: [], warnings: [] });
      }
      // testTimeout is set per check file by the worker setup (setup.ts), so one run serves all.
      let queue = runtime.map(({ i }) => i);
      let batch = queue.length;
      while (queue.length > 0) {
        const group = queue.slice(0, batch);
        const rest = queue.slice(batch);
        const run = await this.runGroup(area, group.map((i) => slots[i]!));
        const rerun: number[] = [];
        for (const i of group) {
          const slot = slots[i]!;
          const mod = run.report?.modules.find((m) => m.file === slot.testFile);
          const isBlocked = run.blocked?.file === slot.testFile;
          // A batch stopped for one hang or crash leaves the others unfinished: run those again.
          if (!mod && !isBlocked && (run.blocked || run.crash) && group.length > 1) {
            rerun.push(i);
            continue;
          }
          const end: RunEnd = isBlocked
            ? { kind: 'blocked', afterMs: run.blocked!.forMs, test: run.blocked!.test }
            : run.crash && !mod
              ? { kind: 'crashed', how: run.crash.how, output: run.crash.output }
              : { kind: 'finished' };
          const single = group.length === 1;
          await finish(i, toVerdict({ slot, areaRoot: area.root, report: run.report, events: run.watch.events, end, single, durationMs: run.durationMs }));
        }
        // Nothing decided (a crash took the whole batch down): go one exercise at a time.
        if (rerun.length === group.length) batch = 1;
        queue = [...rerun, ...rest];
      }
      return verdicts;
    } finally {
      await area.dispose();
    }
  }

  private async runGroup(area: RunArea, slots: Slot[]): Promise<GroupRun> {
    const n = ++this.runs;
    const reportFile = path.join(area.root, `report-${n}.json`);
    const liveFile = path.join(area.root, `live-${n}.jsonl`);
    const include = slots.map((s) => path.relative(area.root, s.testFile).split(path.sep).join('/'));
    const timeouts = await area.writeTimeouts(slots);
    const config = await area.writeConfig({ reporter: distFile('check-reporter.js'), setup: distFile('check-setup.js'), include });
    const watch = new LiveWatch(liveFile);
    const timeoutOf = (file: string) => timeouts.get(file) ?? DEFAULT_TIMEOUT_MS;
    const longest = Math.max(...slots.map((s) => timeoutOf(s.testFile)));
    const started = Date.now();
    const child = execa(process.execPath, [vitestBin(), 'run', '--config', config, '--root', area.root], {
      cwd: area.root,
      detached: true,
      reject: false,
      all: true,
      stdin: 'ignore',
      env: { ASYNC_LESSONS_REPORT: reportFile, ASYNC_LESSONS_LIVE: liveFile, ASYNC_LESSONS_TIMEOUTS: area.timeoutsFile, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
      extendEnv: true,
    });
    this.children.add(child);
    let blocked: GroupRun['blocked'];
    const hardLimit = 30_000 + slots.length * (longest + COLD_LOAD_GRACE_MS);
    const timer = setInterval(() => {
      void watch.poll().then(() => {
        const now = Date.now();
        const stuck = watch.stuck(timeoutOf, BLOCK_GRACE_MS, COLD_LOAD_GRACE_MS, now);
        if (stuck && !blocked) {
          blocked = stuck;
          killGroup(child);
        } else if (now - started > hardLimit && !blocked) {
          blocked = { file: slots[0]!.testFile, test: undefined, forMs: now - started };
          killGroup(child);
        }
      });
    }, POLL_MS);
    const result = await child;
    clearInterval(timer);
    this.children.delete(child);
    await watch.poll();
    let report: RawReport | undefined;
    try {
      report = JSON.parse(await readFile(reportFile, 'utf8')) as RawReport;
    } catch {
      report = undefined;
    }
    const output = String(result.all ?? '').split('\n').filter((l) => l.trim().length > 0);
    const crash = !report && !blocked ? { how: describeExit(result.exitCode, result.signal), output } : undefined;
    return { report, watch, blocked, crash, durationMs: Date.now() - started };
  }

  async close(): Promise<void> {
    for (const child of this.children) killGroup(child);
    this.children.clear();
  }
}

function describeExit(code: number | undefined, signal: string | undefined): string {
  if (signal) return `the check process was killed by ${signal} (did the code kill its parent, or run out of memory?)`;
  return `the check process exited with code ${code ?? '?'} before reporting`;
}

/** Kills the whole process group: killing only vitest would orphan a spinning worker. */
export function killGroup(child: ResultPromise): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
