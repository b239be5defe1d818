import { Worker } from 'node:worker_threads';
import type { TypeFile } from '../shared/protocol.js';
import type { TypesReply, TypesRequest } from '../types/types-thread.js';

/**
 * The engine's type checker: a thread of the CLI's (or TUI's) own process (types-thread.ts). The
 * type checker runs no learner code, so it needs no confinement; on a thread it never stalls the
 * screen, and it works while the check host runs the runtime check — started with the engine, so
 * TypeScript loads while the host is still starting. Answers are matched to requests by id.
 */
export class TypesClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (r: TypesReply) => void>();
  private failure: string | undefined;

  /** `file`: the bundled thread, dist/check-types.js. */
  constructor(file: string) {
    // A small young generation, as the host has (--max-semi-space-size=1): ~28 MB less resident
    // for the thread's life, and a warm re-check measured no slower.
    this.worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    this.worker.unref();
    this.worker.on('message', (r: TypesReply) => {
      const done = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      done?.(r);
    });
    const fail = (why: string) => {
      this.failure = why;
      for (const [id, done] of this.waiting) done({ id, error: why });
      this.waiting.clear();
    };
    this.worker.on('error', (e) => fail(`the type checker failed: ${String(e?.stack ?? e)}`));
    this.worker.on('exit', (code) => fail(`the type checker stopped (exit ${code})`));
  }

  check(files: TypeFile[], scope?: string): Promise<TypesReply> {
    return this.ask((id) => (scope === undefined ? { id, files } : { id, files, scope }));
  }

  /** A submission's files, all in one program ahead of its checks (a shared checker). */
  prepare(files: TypeFile[], scope: string): Promise<TypesReply> {
    return this.ask((id) => ({ id, prepare: files, scope }));
  }

  /** A submission is done: its files leave the checker. */
  forget(scope: string): Promise<TypesReply> {
    return this.ask((id) => ({ id, forget: scope }));
  }

  private ask(request: (id: number) => TypesRequest): Promise<TypesReply> {
    const id = this.nextId++;
    if (this.failure) return Promise.resolve({ id, error: this.failure });
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage(request(id));
    });
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  async close(): Promise<void> {
    this.failure ??= 'the type checker was closed';
    await this.worker.terminate();
  }
}

/**
 * One type checker serving many engines in turn (grading: every submission of a job), replaced if
 * it fails. Each engine checks in its own scope (its run area) and forgets it when it closes.
 */
export class SharedTypes {
  private client: TypesClient | undefined;
  constructor(private readonly file: string) {}

  get(): TypesClient {
    if (!this.client || this.client.failed) this.client = new TypesClient(this.file);
    return this.client;
  }

  /** A scope is done; a checker that failed meanwhile held nothing of it any more. */
  async forget(scope: string): Promise<void> {
    if (this.client && !this.client.failed) await this.client.forget(scope);
  }

  async close(): Promise<void> {
    await this.client?.close();
    this.client = undefined;
  }
}
