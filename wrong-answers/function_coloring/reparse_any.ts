// @rejects type-error
// Mistake: waits for loadConfig but then re-reads the file with JSON.parse, whose result is `any`,
// so getPort's type becomes Promise<any> and the checker no longer knows it gives a number.
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

export async function getPort() {
  await loadConfig();
  return JSON.parse(configFile.text).port;
}

export async function banner(): Promise<string> {
  return `listening on ${await getPort()}`;
}

export async function main(): Promise<void> {
  console.log(await banner());
}
