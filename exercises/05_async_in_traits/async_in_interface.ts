// async_in_interface: an interface cannot say "async"; its return type can.
//
// Goal: `KeyValueStore` describes what every store offers, and the two
// stores below implement it with `async` methods. But `async` is not allowed
// on an interface member: TypeScript stops with
//   TS1070: 'async' modifier cannot appear on a type member.
// `async` describes how a function body runs; an interface has no bodies.
// What callers need to know is what they get back, and that belongs in the
// return type.
//
// Then finish `LoggingStore`, a decorator: it wraps any KeyValueStore, passes
// every call through to it, and appends one entry to `log` per call, at the
// moment of the call (not when the answer arrives):
//   get('a')      logs "get a"
//   set('a', '1') logs "set a=1"
//
// TODO: remove `async` from the interface members and say in their return
//       types that get resolves to a string or undefined, and set to nothing.
// TODO: write LoggingStore's get and set.
//
// Rust equivalent: before Rust 1.75 `async fn` in a trait was an error too;
// `#[async_trait]` rewrote it into a method returning
// `Pin<Box<dyn Future<Output = Option<String>> + Send + 'a>>`.

export interface KeyValueStore {
  async get(key: string): string | undefined;
  async set(key: string, value: string): void;
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

  get(key: string): Promise<string | undefined> {
    throw new Error(`TODO: log "get ${key}" and pass the call on to the inner store`);
  }

  set(key: string, value: string): Promise<void> {
    throw new Error(`TODO: log "set ${key}=${value}" and pass the call on to the inner store`);
  }
}
