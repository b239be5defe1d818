// @rejects main logs listening on 8080
// Mistake: stops the colour at main with `.then` instead of making main async, so main returns
// before anything is printed and nobody can wait for it (or see its errors).
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
  const config = await loadConfig();
  return config.port;
}

export async function banner(): Promise<string> {
  return `listening on ${await getPort()}`;
}

export function main(): void {
  void banner().then((text) => console.log(text));
}
