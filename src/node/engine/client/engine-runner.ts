import { readFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { isUserError } from '../../../core/errors.js';
import type { Verdict } from '../../../core/verdict.js';
import type { CheckOptions, CheckRunner, CheckTarget } from '../check-runner.js';
import { unplacedVerdict, vitestImportVerdict } from './integrity.js';
import { decideVerdict, placeCompileError, type TypesAnswer } from '../../../core/decide-verdict.js';
import { pinpointHang } from './pinpoint.js';
import { runOnHost, type HostKeeper, type RunHow } from './host-run.js';
import { TIMED_OUT, withDeadline } from './waits.js';
import { RunArea, type Slot } from './run-area.js';
import { typeFiles } from '../types/type-check.js';
import { packageInfo } from '../../package-root.js';
import { trace } from '../../trace.js';
import { HostClient, HostDied, type SpawnWrap } from './host-client.js';
import { TypesClient, type SharedTypes } from './types-client.js';

const requireHere = createRequire(import.meta.url);
const dist = (name: string) => path.join(packageInfo().root, 'dist', name);
// A host is ready in ~4 s here, ~15 s on a loaded machine; past this it is stuck, not slow.
const STARTUP_LIMIT_MS = 60_000;
// A warm type check takes well under a second; the first one a few seconds.
const TYPES_LIMIT_MS = 30_000;
const SKIPPED = Symbol('superseded');

interface Options {
  maxWorkers?: number;
  heapMb?: number;
  /** How long a new host may take to warm up before it is killed (tests shorten it). */
  startupLimitMs?: number;
  /**
   * For commands that check once and exit (run, verify, dev check): no neutral warm-up run and no
   * spare worker, which only pay off over many saves.
   */
  oneShot?: boolean;
  /** Learner code sees no variable of this process's environment (grading). */
  scrubEnv?: boolean;
  /** The host runs under this wrapper (grading's bubblewrap sandbox). */
  wrap?: SpawnWrap;
  /** A heap cap for the host process itself (its workers' cap is heapMb). */
  hostHeapMb?: number;
  /**
   * A type checker shared with other engines (grading: one per job, warm across submissions) in
   * place of a thread of this engine's own; this engine checks in its own scope and forgets it on close.
   */
  types?: SharedTypes;
}

/**
 * The warm CheckRunner: one host process (vitest + TypeScript, kept warm, with a spare worker)
 * serving every check. Checks run one at a time; a newer check of the same exercise supersedes an
 * older one (its run is cancelled and both callers get the newer verdict), and a run whose learner
 * files changed meanwhile runs again, so a verdict is always for the files as they are now.
 */
export class EngineRunner implements CheckRunner {
  private areaP: Promise<RunArea> | undefined;
  private typesClient: TypesClient | undefined;
  private host: HostClient | undefined;
  private starting: Promise<HostClient> | undefined;
  /** Bumped by close(), so a start still on its way does not leave a host behind. */
  private epoch = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly latest = new Map<string, object>();
  private inflight: string | undefined;
  /** Respawns so far, and what the last host run reported; tests and the benchmark read them. */
  respawns = 0;
  lastRun: { spareUsed: boolean; hostMs: number } | undefined;

  constructor(private readonly options: Options = {}) {}

  /** Starts the host in the background; the first check waits for it only if it is not ready yet. */
  start(): void {
    this.types();
    void this.ensureHost().catch(() => {});
  }

  /** The type checker's thread, started on first use (and again after it failed). */
  private types(): TypesClient {
    if (this.options.types) return this.options.types.get();
    if (!this.typesClient || this.typesClient.failed) this.typesClient = new TypesClient(dist('check-types.js'));
    return this.typesClient;
  }

  /** With a shared checker: this engine's scope in it (its run area), so one program serves all its checks. */
  private async typesScope(): Promise<string | undefined> {
    return this.options.types ? (await this.area()).root : undefined;
  }

  private area(): Promise<RunArea> {
    return (this.areaP ??= RunArea.create());
  }

  /**
   * The host, started if need be. Concurrent callers (start() in the background, then the first
   * check) share one start: two would each warm up a vitest and a language service, doubling the
   * first wait on two cores, and the extra host would keep its parent alive after close().
   */
  private ensureHost(): Promise<HostClient> {
    if (this.host?.alive && !this.starting) return Promise.resolve(this.host);
    if (!this.starting) {
      const starting = this.startHost();
      this.starting = starting;
      void starting.then(
        () => this.starting === starting && (this.starting = undefined),
        () => this.starting === starting && (this.starting = undefined),
      );
    }
    return this.starting;
  }

  private async startHost(): Promise<HostClient> {
    const epoch = this.epoch;
    trace('host: creating run area');
    const area = await this.area();
    trace('host: spawning');
    await mkdir(path.join(area.root, 'tmp'), { recursive: true });
    if (epoch !== this.epoch) throw new HostDied('the runner was closed');
    const host = new HostClient({
      type: 'init',
      areaRoot: area.root,
      setupFile: dist('check-setup.js'),
      guard: dist('check-guard.cjs'),
      // The package and its dependencies wherever npm put them (under npx: beside the package).
      reads: [packageInfo().root, path.dirname(path.dirname(requireHere.resolve('vitest/package.json')))],
      heapMb: this.options.heapMb ?? 512,
      maxWorkers: this.options.maxWorkers ?? Math.max(1, Math.min(4, os.availableParallelism())),
      warm: !this.options.oneShot,
    }, { scrubbed: this.options.scrubEnv ?? false, ...(this.options.wrap ? { wrap: this.options.wrap } : {}), ...(this.options.hostHeapMb ? { heapMb: this.options.hostHeapMb } : {}) });
    this.host = host;
    const limit = this.options.startupLimitMs ?? STARTUP_LIMIT_MS;
    const ready = await withDeadline(host.ready, limit);
    trace('host: ready');
    if (ready === TIMED_OUT) {
      // Never wait on a host forever: the next check starts a fresh one.
      this.drop(host);
      throw new HostDied(`it was not ready after ${limit >= 1000 ? `${Math.round(limit / 1000)} s` : `${limit} ms`}`);
    }
    return host;
  }

  /** Kills a host that failed us and forgets it, so the next check starts another. */
  private drop(host: HostClient): void {
    host.kill();
    if (this.host === host) this.host = undefined;
    this.respawns += 1;
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => {});
    return next;
  }

  /** One slot (and one cached verdict) per exercise, source and everything that shapes its run. */
  private keyOf(t: CheckTarget): string {
    const e = t.exercise;
    return JSON.stringify([t.courseRoot, e.name, t.learner.dir, e.kind, e.allow, e.timeoutMs, e.learnerFiles, e.checkFiles]);
  }

  async check(target: CheckTarget, options: CheckOptions = {}): Promise<Verdict> {
    // The host boots and TypeScript loads on its thread while the slot is placed.
    this.start();
    const key = this.keyOf(target);
    const token = {};
    this.latest.set(key, token);
    // A newer save of the exercise being checked: stop that run now, its verdict is stale.
    if (this.inflight === key) void this.host?.request({ type: 'cancel', id: this.nextId++ } as never).catch(() => {});
    const result = await this.enqueue<Verdict | typeof SKIPPED>(() => (this.latest.get(key) === token ? this.checkNow(target, key, options, token) : Promise.resolve(SKIPPED)));
    if (result === SKIPPED || this.latest.get(key) !== token) return this.afterNewer(key);
    return result;
  }

  /** Waits for the newest check of `key` to finish and returns its verdict. */
  private async afterNewer(key: string): Promise<Verdict> {
    const token = this.latest.get(key);
    const verdict = await this.enqueue(async () => this.lastVerdict.get(key)?.verdict);
    if (this.latest.get(key) !== token || !verdict) return this.afterNewer(key);
    return verdict;
  }

  private readonly lastVerdict = new Map<string, { verdict: Verdict; signature: string }>();

  private async checkNow(target: CheckTarget, key: string, options: CheckOptions, token: object): Promise<Verdict> {
    this.inflight = key;
    try {
      for (let attempt = 0; ; attempt++) {
        const area = await this.area();
        const slot = await area.place(target.courseRoot, target.exercise, target.learner, key);
        // Content-hashed: a save that changed nothing (an editor's touch, a re-save) does not re-run.
        const cached = this.lastVerdict.get(key);
        if (cached && cached.signature === slot.signature && !options.force) return cached.verdict;
        const onRuntime = options.onRuntime && ((v: Verdict) => this.latest.get(key) === token && options.onRuntime!(v));
        const verdict = await this.runSlot(area, slot, target, onRuntime, true);
        // A newer check of this exercise cancelled the run: its verdict is neither final nor cached.
        if (this.latest.get(key) !== token) return verdict;
        // The learner saved while we ran: check again, so the verdict matches the file as it is now.
        if (attempt < 3 && (await this.changedSince(slot, target))) continue;
        this.lastVerdict.set(key, { verdict, signature: slot.signature });
        return verdict;
      }
    } finally {
      this.inflight = undefined;
    }
  }

  private async changedSince(slot: Slot, target: CheckTarget): Promise<boolean> {
    for (const rel of target.exercise.learnerFiles) {
      const now = await readFile(path.join(target.learner.dir, rel), 'utf8').catch(() => undefined);
      if (now !== slot.sources.get(path.join(slot.exercisesDir, rel))) return true;
    }
    return false;
  }

  /**
   * One slot's verdict. `alone`: the learner waits on this one exercise (not a re-run inside a
   * batch): a hang is pinpointed, and a failure brings its type errors along.
   */
  private async runSlot(area: RunArea, slot: Slot, target: CheckTarget, onRuntime?: (v: Verdict) => void, alone = false): Promise<Verdict> {
    const exercise = target.exercise;
    const base = { exercise: exercise.name, durationMs: 0, tests: [], console: [], warnings: [] };
    const refused = vitestImportVerdict(slot);
    if (refused) return refused;
    // The type check runs on the host's types thread beside the runtime check: a cold one-shot
    // check waits for the longer of the two, not for their sum.
    const types = this.askTypes(slot);
    let verdict: Verdict = { ...base, status: 'passed' };
    if (exercise.kind !== 'types') {
      verdict = await this.runtime(area, [slot], { single: true }).then((m) => m.get(slot)!);
      if (verdict.status === 'compile-error' && !verdict.frame) verdict = placeCompileError(verdict, await types, learnerDisplays(slot));
      onRuntime?.(verdict);
      if (alone) verdict = await pinpointHang(verdict, async (closer) => (await this.runtime(area, [slot], { single: true, closer })).get(slot)!);
      // A run that did not pass is the verdict whatever the types say. Checked alone (watch mode,
      // `run`: the learner is looking at this one), its type errors come along as a likely cause;
      // a re-run inside a batch does not wait for them.
      if (verdict.status !== 'passed' && !alone) return verdict;
    }
    return decideVerdict(verdict, await types, finalFacts(slot, target));
  }

  /** The type checker's diagnostics for a slot's files (runtime exercises: no fixtures). */
  private async askTypes(slot: Slot): Promise<TypesAnswer> {
    const files = typesOf(slot);
    const types = this.types();
    trace('types: sent');
    const answer = await withDeadline(types.check(files, await this.typesScope()), TYPES_LIMIT_MS);
    trace(`types: answered (${answer === TIMED_OUT ? 'timed out' : 'error' in answer ? 'failed' : `${answer.ms} ms`})`);
    if (answer === TIMED_OUT || 'error' in answer) {
      // Stuck or broken: the next check starts a fresh thread.
      void types.close();
      return 'stopped';
    }
    return answer;
  }

  /** One host run over `slots` (host-run.ts). */
  private runtime(area: RunArea, slots: Slot[], how: RunHow = {}): Promise<Map<Slot, Verdict>> {
    return runOnHost(this.keeper, area, slots, how);
  }

  /** What a host run may do to the host this runner keeps. */
  private readonly keeper: HostKeeper = {
    ensureHost: () => this.ensureHost(),
    nextId: () => this.nextId++,
    replace: (host, died) => {
      if (!died) this.drop(host);
      else {
        if (this.host === host) this.host = undefined;
        this.respawns += 1;
      }
      this.start();
    },
    noteRun: (run) => {
      this.lastRun = run;
    },
  };

  async checkMany(targets: readonly CheckTarget[], onVerdict?: (v: Verdict, index: number) => void): Promise<Verdict[]> {
    this.start();
    return this.enqueue(async () => {
      const area = await this.area();
      const verdicts: Verdict[] = new Array(targets.length);
      const placed: Array<{ i: number; slot: Slot }> = [];
      for (const [i, t] of targets.entries()) {
        try {
          placed.push({ i, slot: await area.place(t.courseRoot, t.exercise, t.learner, this.keyOf(t)) });
        } catch (error) {
          if (!isUserError(error)) throw error;
          verdicts[i] = unplacedVerdict(t.exercise.name, error);
          onVerdict?.(verdicts[i]!, i);
        }
      }
      const batch = placed.filter(({ slot }) => slot.exercise.kind !== 'types' && !vitestImportVerdict(slot));
      // A shared checker builds one program of every file the batch may check, beside the run.
      const scope = await this.typesScope();
      if (scope !== undefined) void this.types().prepare(placed.flatMap(({ slot }) => typesOf(slot)), scope);
      // Type checks start as soon as each file passes, beside the rest of the batch: a failed file
      // needs none (its runtime verdict stands), and `types` exercises need one from the start.
      const early = new Map<Slot, Promise<TypesAnswer>>();
      for (const { slot } of placed) if (slot.exercise.kind === 'types') early.set(slot, this.askTypes(slot));
      const onPassed = (slot: Slot) => early.set(slot, this.askTypes(slot));
      const results = batch.length > 0 ? await this.runtime(area, batch.map((b) => b.slot), { onPassed }) : new Map<Slot, Verdict>();
      for (const { i, slot } of placed) {
        const t = targets[i]!;
        const batched = results.get(slot);
        // Unfinished in the batch (another exercise hung or crashed it), or not batchable: alone.
        // 'no-tests' too: a module that calls process.exit at import takes its worker down with it,
        // and in a shared worker vitest may report it (or a neighbour) as defining no tests.
        const unfinished = !batched || (batched.status === 'failed' && (batched.code === 'not-run' || batched.code === 'unfinished' || batched.code === 'no-tests')) || batched.status === 'crashed';
        let v: Verdict;
        if (unfinished) v = await this.runSlot(area, slot, t);
        else {
          // Types only matter for what passed at run time (or is decided by types): ask then.
          const needed = batched.status === 'passed' || slot.exercise.kind === 'types';
          v = decideVerdict(batched, needed ? await (early.get(slot) ?? this.askTypes(slot)) : undefined, finalFacts(slot, t));
        }
        verdicts[i] = v;
        onVerdict?.(v, i);
      }
      return verdicts;
    });
  }

  /** Warm-up statistics for tests and the benchmark. */
  async hostPid(): Promise<number | undefined> {
    return (await this.ensureHost()).pid;
  }

  async close(): Promise<void> {
    await this.tail.catch(() => {});
    trace('close: start');
    this.epoch += 1;
    const host = this.host;
    this.host = undefined;
    // A host still warming up has nothing to finish: kill it rather than wait for it.
    if (this.starting) host?.kill();
    else await host?.shutdown();
    this.starting = undefined;
    await this.typesClient?.close();
    this.typesClient = undefined;
    const scope = this.options.types && this.areaP ? (await this.areaP).root : undefined;
    if (scope !== undefined) await this.options.types!.forget(scope);
    if (this.areaP) await (await this.areaP).dispose();
    this.areaP = undefined;
  }
}

/**
 * A runtime exercise counts only type errors in the learner's own files, and a file's errors
 * depend on what it imports, never on who imports it: the check file (with vitest's and the
 * harness's large declarations behind it) need not be in the program at all.
 */
const typesOf = (slot: Slot) => (slot.exercise.kind === 'runtime' ? typeFiles(slot).filter((f) => f.learner).map((f) => ({ ...f, fixture: false })) : typeFiles(slot));

const learnerDisplays = (slot: Slot): Set<string> => new Set([...slot.learnerFiles].map((f) => slot.display.get(f) ?? f));
const finalFacts = (slot: Slot, target: CheckTarget) => ({
  kind: slot.exercise.kind,
  learnerFiles: learnerDisplays(slot),
  ...(target.expectedTests ? { expectedTests: target.expectedTests } : {}),
});
