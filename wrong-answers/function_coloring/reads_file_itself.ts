// @rejects waits for loadConfig
// Mistake: makes getPort async in name only: it parses configFile.text itself instead of awaiting loadConfig(), so the "file read" is synchronous again and nothing waits for it.
// Rust equivalent: calling an `async fn` from sync code gives you a Future,
// not its value; only async code can `.await` it (or `block_on` at the edge).

export interface Config {
  host: string;
  port: number;
}

/** Stands in for config.json on disk. The checks change it between runs. */
export const configFile = { text: '{ "host": "localhost", "port": 8080 }' };

/** Reads and parses the configuration. Takes a moment, like real file IO. */
export async function loadConfig(): Promise<Config> {
  await new Promise<void>((resolve) => setTimeout(resolve, 1));
  const parsed: Config = JSON.parse(configFile.text);
  return parsed;
}

// Each function that needs the config's value has to wait for it, so each one
// becomes async and returns a Promise of what it used to return. The colour
// spreads one caller at a time, all the way up to main.
export async function getPort(): Promise<number> {
  // Reads the file straight away instead of waiting for loadConfig().
  const config: Config = JSON.parse(configFile.text);
  return config.port;
}

export async function banner(): Promise<string> {
  // Without this await, the template literal would happily print
  // "[object Promise]": TypeScript accepts any value inside `${}`.
  return `listening on ${await getPort()}`;
}

// main is the edge of the program. Whoever starts it (Node's top-level await,
// or a `main().catch(...)` in the entry file) is where a sync world meets the
// async one, as `block_on` is in Rust.
export async function main(): Promise<void> {
  console.log(await banner());
}
