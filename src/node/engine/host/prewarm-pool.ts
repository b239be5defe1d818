import { fork, type ChildProcess } from 'node:child_process';
import { ForksPoolWorker, type PoolOptions } from 'vitest/node';

/*
 * vitest 4 ends every run by stopping its forks, so each re-run pays ~150 ms to spawn a worker and
 * import vitest's runtime into it (RUNNER-NOTES §2). This pool keeps one spare fork, spawned with
 * the same entry, env and execArgv right after a worker stops (or dies), and hands it to the next
 * run: a warm re-run then costs ~40 ms. It relies on ForksPoolWorker's `_fork ||= fork(...)`, so
 * vitest is pinned to an exact version and a test fails if the spare is not used.
 */

interface Spare {
  key: string;
  child: ChildProcess;
}

export class SparePool {
  private spare: Spare | undefined;
  private closed = false;
  /** How many runs adopted a warm spare; tests read this to prove the spare is used. */
  adopted = 0;

  /** A disabled pool never boots a spare (one-shot commands); vitest then forks as usual. */
  constructor(private readonly enabled = true) {}

  keyOf(entry: string, env: unknown, execArgv: string[]): string {
    return JSON.stringify([entry, env, execArgv]);
  }

  take(key: string): ChildProcess | undefined {
    const s = this.spare;
    if (!s || s.key !== key || s.child.exitCode !== null || s.child.signalCode !== null) return undefined;
    this.spare = undefined;
    this.adopted += 1;
    return s.child;
  }

  refill(key: string, entry: string, env: NodeJS.ProcessEnv, execArgv: string[]): void {
    if (!this.enabled || this.closed || this.spare) return;
    const child = fork(entry, [], { env, execArgv, stdio: 'pipe', serialization: 'advanced' });
    child.on('error', () => {});
    // A spare that dies unused (killed with the process group, say) is simply dropped.
    child.once('exit', () => {
      if (this.spare?.child === child) this.spare = undefined;
    });
    this.spare = { key, child };
  }

  close(): void {
    this.closed = true;
    this.spare?.child.kill('SIGKILL');
    this.spare = undefined;
  }

  pid(): number | undefined {
    return this.spare?.child.pid;
  }
}

export function prewarmForks(spares: SparePool) {
  class PrewarmForksWorker extends ForksPoolWorker {
    override name = 'prewarm-forks';
    private readonly key: string;
    private readonly opts: PoolOptions;

    constructor(options: PoolOptions) {
      super(options);
      this.opts = options;
      this.key = spares.keyOf(this.entrypoint, options.env, options.execArgv);
    }

    override async start(): Promise<void> {
      const self = this as unknown as { _fork?: ChildProcess };
      if (!self._fork) {
        const adopted = spares.take(this.key);
        if (adopted) self._fork = adopted;
      }
      await super.start();
      // When a worker dies mid-run (OOM, a kill), stop() is never called: refill here too.
      self._fork?.once('exit', () => this.refill());
    }

    override async stop(): Promise<void> {
      await super.stop();
      this.refill();
    }

    private refill(): void {
      spares.refill(this.key, this.entrypoint, this.opts.env as NodeJS.ProcessEnv, this.opts.execArgv);
    }
  }
  return { name: 'prewarm-forks', createPoolWorker: (options: PoolOptions) => new PrewarmForksWorker(options) };
}
