// @rejects delegates to the inner store
// Mistake: the decorator keeps its own Map instead of passing the calls on, so it never sees what the inner store holds.
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
  readonly copy = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    this.log.push(`get ${key}`);
    return this.copy.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.log.push(`set ${key}=${value}`);
    this.copy.set(key, value);
  }
}
