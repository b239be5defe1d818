// @rejects no any, casts or ts directives
// Mistake: gets the runtime right but keeps the old signatures and silences the type errors they
// cause with @ts-ignore, so the types still claim main() returns nothing to wait for.
export interface Config {
  host: string;
  port: number;
}

export const configFile = { text: '{ "host": "localhost", "port": 8080 }' };

export async function loadConfig(): Promise<Config> {
  await new Promise<void>((resolve) => setTimeout(resolve, 1));
  const parsed: Config = JSON.parse(configFile.text);
  return parsed;
}

// @ts-ignore the signature says number
export async function getPort(): number {
  const config = await loadConfig();
  return config.port;
}

// @ts-ignore the signature says string
export async function banner(): string {
  return `listening on ${await getPort()}`;
}

// @ts-ignore the signature says void
export async function main(): void {
  console.log(await banner());
}
