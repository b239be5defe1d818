// @rejects a caller of set waits until the inner store has stored
// Mistake: set logs and starts the inner set but neither returns nor awaits its promise (fire and forget), so the caller's await ends before the inner store has stored anything.
//
// Rust equivalent: before Rust 1.75 `async fn` in a trait was an error too;
// `#[async_trait]` rewrote it into a method returning
// `Pin<Box<dyn Future<Output = Option<String>> + Send + 'a>>`.

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
  get(key: string): Promise<string | undefined> {
    this.log.push(`get ${key}`);
    return this.inner.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.log.push(`set ${key}=${value}`);
    this.inner.set(key, value);
  }
}
