// @rejects follows the config file
// Mistake: gives up on the config and returns the port the first check expects, 8080.
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

export async function getPort(): Promise<number> {
  await loadConfig();
  return 8080;
}

export async function banner(): Promise<string> {
  return `listening on ${await getPort()}`;
}

export async function main(): Promise<void> {
  console.log(await banner());
}
