// @rejects main logs listening on 8080
// Mistake: fixes only the function TypeScript complained about. banner() still puts the Promise
// from getPort() into a template literal (which compiles), so main prints "[object Promise]".
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

export function banner(): string {
  return `listening on ${getPort()}`;
}

export function main(): void {
  console.log(banner());
}
