// @rejects logs every call in call order
// Mistake: awaits the inner store first and logs afterwards, so the log follows the order the answers arrive in.
// The interface says what callers get back: a Promise. Whether an
// implementation writes `async` or builds the Promise by hand is its own
// business, which is why `async` belongs on bodies, not on signatures.
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** Keeps everything in a Map. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.data.set(key, value);
  }
}

/** Wraps another store and waits `ms` before each call, like a store on the network. */
export class SlowStore implements KeyValueStore {
  readonly inner: KeyValueStore;
  readonly ms: number;
  readonly sleep: (ms: number) => Promise<void>;

  constructor(inner: KeyValueStore, ms: number, sleep: (ms: number) => Promise<void>) {
    this.inner = inner;
    this.ms = ms;
    this.sleep = sleep;
  }

  async get(key: string): Promise<string | undefined> {
    await this.sleep(this.ms);
    return this.inner.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.sleep(this.ms);
    return this.inner.set(key, value);
  }
}

/** Passes every call to `inner`, and logs it. */
export class LoggingStore implements KeyValueStore {
  readonly inner: KeyValueStore;
  readonly log: string[];

  constructor(inner: KeyValueStore, log: string[]) {
    this.inner = inner;
    this.log = log;
  }

  // No `async` needed: log now, and hand back the inner store's promise.
  async get(key: string): Promise<string | undefined> {
    const value = await this.inner.get(key);
    this.log.push(`get ${key}`);
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.inner.set(key, value);
    this.log.push(`set ${key}=${value}`);
  }
}
