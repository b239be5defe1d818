// @rejects loadConfig stays async
// Mistake: makes the problem go away by turning loadConfig back into a synchronous function,
// instead of letting async spread to its callers.
export interface Config {
  host: string;
  port: number;
}

export const configFile = { text: '{ "host": "localhost", "port": 8080 }' };

export function loadConfig(): Config {
  const parsed: Config = JSON.parse(configFile.text);
  return parsed;
}

export async function getPort(): Promise<number> {
  return loadConfig().port;
}

export async function banner(): Promise<string> {
  return `listening on ${await getPort()}`;
}

export async function main(): Promise<void> {
  console.log(await banner());
}
