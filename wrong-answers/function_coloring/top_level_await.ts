// @rejects follows the config file
// Mistake: reads the config once with a top-level await so the callers can stay synchronous;
// later changes to the config file are never seen.
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

const config = await loadConfig();

export async function getPort(): Promise<number> {
  return config.port;
}

export async function banner(): Promise<string> {
  return `listening on ${await getPort()}`;
}

export async function main(): Promise<void> {
  console.log(await banner());
}
