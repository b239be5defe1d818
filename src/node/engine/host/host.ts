// The check host (bundled to dist/check-host.js): a child of the CLI/TUI holding one warm vitest
// (the type checker runs in the CLI's own types thread, see types-client.ts). Learner code never runs here — only in the confined
// forks below it — so a loop, an OOM or a kill there costs a worker, not the host; and if the host
// itself stops answering, the parent kills its process group and starts another.
import { mkdir, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import path from 'node:path';
import { getEachMessage, sendMessage } from 'execa';
import { createVitest, type Reporter, type TestCase, type TestModule, type Vitest } from 'vitest/node';
import { collectRaw, type LiveEvent } from '../shared/raw-report.js';
import { BLOCK_GRACE_MS, LiveWatch, LOAD_GRACE_MS, SILENT_MS } from '../shared/live-watch.js';
import { DEFAULT_TIMEOUT_MS } from '../check-runner.js';
import { workerExecArgv } from './confine.js';
import { ConsoleCap, markOutOfMemory, OOM_RE } from './caps.js';
import { spinProbePlugin } from './spin-probe.js';
import { prewarmForks, SparePool } from './prewarm-pool.js';
import type { FromHost, HostEnd, ToHost } from '../shared/protocol.js';
import { AREA_FILES } from '../shared/protocol.js';


type Init = Extract<ToHost, { type: 'init' }>;

const TIMED_OUT_RE = /^Test timed out in \d+ms/;

class Events implements Reporter {
  current: LiveWatch | undefined;
  /** Called when a test fails by its own timeout (the loop was free: a promise never settled). */
  onTimedOut: (() => void) | undefined;
  private vitest: Vitest | undefined;
  onInit(v: Vitest): void {
    this.vitest = v;
  }
  // Queued, not started: vitest starts a module only once it has been collected, which a module
  // whose top-level code never finishes never is. The watchdog's clock for a file starts here.
  onTestModuleQueued(m: TestModule): void {
    this.current?.push({ event: 'module-start', file: m.moduleId, at: Date.now() });
  }
  /** The id of the run going on, for messages the parent may act on before the run's result. */
  runId: number | undefined;
  onTestModuleEnd(m: TestModule): void {
    this.current?.push({ event: 'module-end', file: m.moduleId, at: Date.now() });
    if (this.runId !== undefined) void sendMessage({ type: 'module-done', id: this.runId, file: m.moduleId, passed: m.state() === 'passed' } satisfies FromHost).catch(() => {});
  }
  onTestCaseResult(t: TestCase): void {
    const result = t.result();
    if (result.state === 'failed' && result.errors?.some((e) => TIMED_OUT_RE.test(e.message ?? ''))) this.onTimedOut?.();
  }
  onUserConsoleLog(log: { content: string; type: 'stdout' | 'stderr'; taskId?: string }): void {
    const task = log.taskId === undefined ? undefined : this.vitest?.state.idMap.get(log.taskId);
    // vitest keeps every message on its task as well, for reporters this host does not use: a
    // test that logs without end would grow the host by all of it. Only the live watch keeps it.
    const logs = (task as { logs?: unknown[] } | undefined)?.logs;
    if (logs?.at(-1) === log) logs.pop();
    const file = task?.file?.filepath;
    const text = this.consoleCap.keep(file, log.content);
    if (text !== undefined) this.current?.push({ event: 'console', file, stream: log.type, text, at: Date.now() });
  }
  /** Console kept per file and run: a test that logs without end must not grow the host. */
  readonly consoleCap = new ConsoleCap();
}

class Host {
  private readonly spares: SparePool;
  private readonly events = new Events();
  private readonly instances = new Map<boolean, Promise<Vitest>>();

  constructor(private readonly init: Init) {
    // A one-shot command checks once: a spare worker booted for a next run would only compete
    // with this one for the machine's cores.
    this.spares = new SparePool(init.warm);
  }

  /** A worker of the current run died of its heap cap (its stderr said so). */
  private oomInRun = false;

  /** Learner files the current run transforms with loop probes (spin-probe.ts): a diagnostic re-run's. */
  private probed: ReadonlySet<string> = new Set();

  get liveFile(): string {
    return path.join(this.init.areaRoot, AREA_FILES.live);
  }

  /** One vitest per confinement: workers are allowed per exercise, and execArgv is per instance. */
  vitest(workers: boolean): Promise<Vitest> {
    let v = this.instances.get(workers);
    if (!v) {
      v = this.create(workers);
      this.instances.set(workers, v);
    }
    return v;
  }

  private async create(workers: boolean): Promise<Vitest> {
    const { areaRoot, setupFile, reads, guard, heapMb, maxWorkers } = this.init;
    const execArgv = workerExecArgv({ reads: [...reads, areaRoot], writes: [this.liveFile], workers, heapMb, guard });
    return createVitest(
      'test',
      {
        root: areaRoot,
        watch: false,
        config: false,
        include: ['**/*.test.{ts,tsx,mts}'],
        pool: prewarmForks(this.spares),
        isolate: false,
        maxWorkers,
        fileParallelism: true,
        execArgv,
        setupFiles: [setupFile],
        reporters: [this.events],
        allowOnly: false,
        passWithNoTests: false,
        testTimeout: DEFAULT_TIMEOUT_MS,
        hookTimeout: DEFAULT_TIMEOUT_MS,
      } as never,
      { plugins: [spinProbePlugin(() => this.probed)] } as never,
      { stdout: sink(), stderr: sink((text) => OOM_RE.test(text) && (this.oomInRun = true)) },
    );
  }

  async run(msg: Extract<ToHost, { type: 'run' }>): Promise<FromHost> {
    const started = Date.now();
    const vitest = await this.vitest(msg.workers);
    // Asked to stop while vitest was still being created: nothing to warm up.
    if (msg.id === 0 && !this.warmUpWanted) throw new Error('warm-up skipped');
    // Files probed in the last run are transformed again without probes, and this run's with them.
    for (const file of new Set([...msg.changed, ...this.probed, ...(msg.probe ?? [])])) vitest.invalidateFile(file);
    this.probed = new Set(msg.probe ?? []);
    // The marker file only ever describes the current run.
    await writeFile(this.liveFile, '');
    const watch = new LiveWatch(this.liveFile);
    this.events.current = watch;
    this.events.consoleCap.notes();
    this.oomInRun = false;
    this.events.runId = msg.id === 0 ? undefined : msg.id;
    const project = vitest.projects[0]!;
    const specs = msg.specs.map((f) => project.createSpecification(f));
    this.runningId = msg.id;
    const adoptedBefore = this.spares.adopted;
    let end: HostEnd = { kind: 'finished' };
    // One exercise checked: its first never-settled test is the verdict, so the tests after it
    // (each of which may wait out its own timeout) are skipped rather than waited for.
    this.events.onTimedOut = msg.bail ? () => void vitest.cancelCurrentRun('test-failure') : undefined;
    let tick = Date.now();
    let told = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - told >= 1000) {
        told = Date.now();
        void sendMessage({ type: 'alive', id: msg.id } satisfies FromHost).catch(() => {});
      }
      // Silent beats count only for a single check, and only while this host itself keeps time: a
      // machine too busy to run the host's own timer may be starving the worker too (batches run
      // several workers at once; they wait out the timeout instead).
      const lag = Date.now() - tick - 100;
      tick = Date.now();
      const silent = msg.specs.length === 1 && lag < 500 ? SILENT_MS : undefined;
      void watch.poll().then(() => {
        const stuck = watch.stuck(() => msg.timeoutMs, BLOCK_GRACE_MS, LOAD_GRACE_MS, Date.now(), silent);
        if (stuck && end.kind === 'finished') {
          end = { kind: 'blocked', afterMs: stuck.forMs, test: stuck.test, loading: stuck.loading, file: stuck.file };
          // The first cancel is graceful and waits for the worker; the second forces it down.
          void vitest.cancelCurrentRun('keyboard-input');
          void vitest.cancelCurrentRun('keyboard-input');
        }
      });
    }, 100);
    try {
      const result = await vitest.runTestSpecifications(specs);
      await watch.poll();
      const report = collectRaw(result.testModules, result.unhandledErrors, end.kind);
      // A worker that died of its heap cap says why only on its stderr: the death carries it on.
      if (this.oomInRun) markOutOfMemory(report, watch.events, this.init.heapMb);
      return {
        type: 'result',
        id: msg.id,
        report,
        // Beats only mattered to the watchdog.
        events: [...(watch.events as LiveEvent[]).filter((e) => e.event !== 'beat'), ...this.events.consoleCap.notes()],
        end,
        spareUsed: this.spares.adopted > adoptedBefore,
        ms: Date.now() - started,
      };
    } finally {
      clearInterval(timer);
      this.events.current = undefined;
      this.events.onTimedOut = undefined;
      this.events.runId = undefined;
      this.runningId = undefined;
      // vitest marks the process failed after any failing run and never resets it.
      process.exitCode = 0;
    }
  }

  /**
   * For watch mode, a neutral first run after `ready`, so a learner who reads the lesson first
   * finds vitest warm at their first save. It is skipped when a check is already waiting and
   * cancelled when one arrives: the first verdict never waits for it. One-shot commands skip it.
   */
  async warmUp(): Promise<number> {
    const started = Date.now();
    if (!this.init.warm || !this.warmUpWanted) return 0;
    const dir = path.join(this.init.areaRoot, '_warmup');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'warmup.test.ts');
    await writeFile(file, "import { expect, test } from 'vitest';\ntest('warm-up', () => { expect(1 + 1).toBe(2); });\n");
    await this.run({ type: 'run', id: 0, specs: [file], changed: [], timeoutMs: DEFAULT_TIMEOUT_MS, workers: false, bail: false });
    return Date.now() - started;
  }

  /** The id of the run going on (0: the warm-up), if any. */
  private runningId: number | undefined;
  private warmUpWanted = true;

  /** A real check arrived: a warm-up not started yet never starts; one running stops now. */
  stopWarmUp(): void {
    this.warmUpWanted = false;
    if (this.runningId === 0) this.cancel();
  }

  /** A newer save superseded the running check: stop it now (twice: the second forces it). */
  cancel(): void {
    for (const v of this.instances.values()) {
      void v.then((vitest) => {
        void vitest.cancelCurrentRun('keyboard-input');
        void vitest.cancelCurrentRun('keyboard-input');
      });
    }
  }

  async close(): Promise<void> {
    this.spares.close();
    for (const v of this.instances.values()) {
      const vitest = await v;
      void vitest.cancelCurrentRun('keyboard-input');
      await vitest.close();
    }
  }
}

/** vitest's own console output is not for the learner; verdicts carry what matters. */
const sink = (look?: (text: string) => unknown): Writable => {
  const stream = new Writable({
    write: (chunk, _encoding, done) => {
      look?.(String(chunk));
      done();
    },
  });
  // vitest pipes each fork's output in here, and a pipe ends its destination when the fork's
  // stream ends: a worker that died would leave the sink closed, deaf to every later worker.
  stream.end = (() => stream) as Writable['end'];
  return stream;
};


async function main(): Promise<void> {
  let host: Host | undefined;
  // Runs and type checks are answered in order, one at a time; a cancel must not wait its turn
  // behind the very run it is meant to stop, so it is handled the moment it arrives.
  let queue: Promise<void> = Promise.resolve();

  // The warm-up serves a learner who reads before the first check; a real check never waits for it.
  let warming = false;
  let waitingRuns = 0;

  for await (const raw of getEachMessage()) {
    const msg = raw as ToHost;
    if (msg.type === 'cancel') {
      host?.cancel();
      void sendMessage({ type: 'error', id: msg.id, message: 'cancelled' } satisfies FromHost).catch(() => {});
      continue;
    }
    if (msg.type === 'run') {
      waitingRuns += 1;
      if (warming) host?.stopWarmUp();
    }
    queue = queue.then(() => handle(msg));
    if (msg.type === 'init') queue = queue.then(warmUp);
  }

  async function warmUp(): Promise<void> {
    if (!host || waitingRuns > 0) return;
    warming = true;
    try {
      await host.warmUp();
    } catch {
      // A warm-up that fails or is cancelled costs nothing but its warmth.
    } finally {
      warming = false;
    }
  }

  async function handle(msg: Exclude<ToHost, { type: 'cancel' }>): Promise<void> {
    try {
      if (msg.type === 'init') {
        host = new Host(msg);
        await sendMessage({ type: 'ready', warmupMs: 0 } satisfies FromHost);
      } else if (msg.type === 'run') {
        waitingRuns -= 1;
        await sendMessage((await host!.run(msg)) as never);
      } else if (msg.type === 'shutdown') {
        await host?.close();
        process.exit(0);
      }
    } catch (error) {
      const id = 'id' in msg ? msg.id : undefined;
      await sendMessage({ type: 'error', id, message: String((error as Error)?.stack ?? error) } satisfies FromHost).catch(() => {});
    }
  }
}

// If the parent goes away (Ctrl-C, a crash, a closed terminal) the IPC channel closes: take the
// whole process group down — this host, its forks and the spare — so nothing is left behind.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
});

void main();
