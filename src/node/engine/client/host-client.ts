import { execa, execaNode, type ResultPromise } from 'execa';
import path from 'node:path';
import { packageInfo } from '../../package-root.js';
import type { FromHost, ToHost } from '../shared/protocol.js';
import { AREA_FILES, ENV } from '../shared/protocol.js';

type Init = Extract<ToHost, { type: 'init' }>;
type Request = Extract<ToHost, { id: number }>;

const live = new Set<HostClient>();

/** For signal handlers: kills every host this process started (their whole process groups). */
export function killAllHosts(): void {
  for (const h of live) h.kill();
}

/**
 * Runs the host under another program (grading's bubblewrap): the wrapper's command and arguments,
 * which end with the host's own `node … check-host.js` command line.
 */
export type SpawnWrap = (host: { areaRoot: string; reads: readonly string[] }) => { file: string; args: string[] };

export class HostDied extends Error {
  constructor(readonly how: string) {
    super(`the check host stopped: ${how}`);
  }
}

/**
 * The parent's handle on one check host process: started in the background, spoken to over IPC,
 * and killed as a whole process group (killing only the host would orphan a spinning worker).
 */
export class HostClient {
  readonly ready: Promise<{ warmupMs: number }>;
  private readonly child: ResultPromise<{ ipc: true }>;
  private readonly waiting = new Map<number, { resolve: (m: FromHost) => void; reject: (e: Error) => void }>();
  private dead: HostDied | undefined;
  private output: string[] = [];
  /** When the host last said anything: a host that stops talking mid-run has stopped turning. */
  lastHeard = Date.now();
  /** Told when a test file of a run is done, before the run's own answer. */
  onModuleDone: ((msg: Extract<FromHost, { type: 'module-done' }>) => void) | undefined;

  /**
   * `scrubbed`: the host (and so every test worker and the learner code in it) sees none of this
   * process's environment — only what Node needs. For grading: an instructor's tokens must not be
   * readable by student code.
   */
  constructor(init: Init, options: { scrubbed?: boolean; wrap?: SpawnWrap; heapMb?: number } = {}) {
    const own = { NO_COLOR: '1', FORCE_COLOR: '0', TMPDIR: path.join(init.areaRoot, 'tmp'), [ENV.live]: path.join(init.areaRoot, AREA_FILES.live), [ENV.timeouts]: path.join(init.areaRoot, AREA_FILES.timeouts) };
    const scrubbed = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: path.join(init.areaRoot, 'tmp'), LANG: process.env.LANG ?? 'C.UTF-8' };
    const script = path.join(packageInfo().root, 'dist', 'check-host.js');
    // A 1 MB young generation instead of V8's 16 MB: ~28 MB less resident for the host's life.
    // `heapMb`: the host's own heap cap (grading): a host that vitest's bookkeeping of a hostile
    // submission grows past it dies alone, as that submission's crashed row.
    const nodeOptions = [...process.execArgv, '--max-semi-space-size=1', ...(options.heapMb ? [`--max-old-space-size=${options.heapMb}`] : [])];
    const common = {
      ipc: true,
      detached: true,
      reject: false,
      stdin: 'ignore',
      buffer: false,
      env: options.scrubbed ? { ...scrubbed, ...own } : own,
      extendEnv: !options.scrubbed,
    } as const;
    const wrapped = options.wrap?.({ areaRoot: init.areaRoot, reads: init.reads });
    const child = (
      wrapped ? execa(wrapped.file, [...wrapped.args, process.execPath, ...nodeOptions, script], common) : execaNode(script, [], { ...common, nodeOptions })
    ) as unknown as ResultPromise<{ ipc: true }>;
    this.child = child;
    live.add(this);
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.output.length > 50) this.output = this.output.slice(-50);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    let readyResolve!: (v: { warmupMs: number }) => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    this.ready.catch(() => {});
    void (async () => {
      try {
        for await (const raw of child.getEachMessage()) {
          const msg = raw as FromHost;
          this.lastHeard = Date.now();
          if (msg.type === 'alive') continue;
          if (msg.type === 'module-done') {
            this.onModuleDone?.(msg);
            continue;
          }
          if (msg.type === 'ready') readyResolve({ warmupMs: msg.warmupMs });
          else if (msg.id !== undefined) {
            const w = this.waiting.get(msg.id);
            this.waiting.delete(msg.id);
            w?.resolve(msg);
          }
        }
      } catch {
        // The channel closes when the host exits; handled below.
      }
    })();
    void child.then((r) => {
      const how = r.signal ? `killed by ${r.signal}` : `exited with code ${r.exitCode}`;
      this.dead = new HostDied(how);
      live.delete(this);
      readyReject(this.dead);
      for (const w of this.waiting.values()) w.reject(this.dead);
      this.waiting.clear();
    });
    void child.sendMessage(init as never).catch(() => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  lastOutput(): string[] {
    return [...this.output];
  }

  async request(msg: Request): Promise<FromHost> {
    if (this.dead) throw this.dead;
    this.lastHeard = Date.now();
    const answer = new Promise<FromHost>((resolve, reject) => this.waiting.set(msg.id, { resolve, reject }));
    await this.child.sendMessage(msg as never);
    return answer;
  }

  /** Kills the host's whole process group: its forks and any spare with it. */
  kill(): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  async shutdown(): Promise<void> {
    if (this.dead) return;
    const exited = this.child.then(() => undefined);
    await this.child.sendMessage({ type: 'shutdown' } as never).catch(() => {});
    const timer = setTimeout(() => this.kill(), 3000);
    await exited;
    clearTimeout(timer);
    // Anything the host left in its group (a worker that ignored SIGTERM) goes too.
    this.kill();
  }
}
