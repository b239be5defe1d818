// function_coloring: once one function is async, its callers are too.
//
// Goal: the program prints `listening on <port>`, where the port comes from
// a configuration file. Reading that file used to be synchronous; it now
// goes through `loadConfig()`, which is async, so it hands back a
// Promise<Config> instead of a Config. Everything above it in the call chain
// is still written as if the value came back straight away:
//
//   main() -> banner() -> getPort() -> loadConfig()   <- now async
//
// TypeScript already reports the first casualty (open this file in your
// editor): `getPort` reads `.port` from a Promise. Two callers further up
// compile, yet print nonsense, because a template literal and console.log
// accept a Promise as happily as a number.
//
// Rules:
//   - keep `loadConfig` async, and read the configuration through it every
//     time a function needs it (the file may change while the program runs;
//     parsing `configFile.text` yourself skips the read);
//   - `getPort`, `banner` and `main` each give back a Promise of what they
//     gave back before, and `main` resolves only after it has printed;
//   - no `any`, no `as` casts, no `@ts-...` comments.
//
// TODO: make getPort wait for loadConfig() before it reads the port.
// TODO: then follow the colour up the chain: banner, then main.
//
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

export function getPort(): number {
  const config = loadConfig();
  return config.port;
}

export function banner(): string {
  return `listening on ${getPort()}`;
}

export function main(): void {
  console.log(banner());
}
