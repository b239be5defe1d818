// The `async-lessons` bin (bundled to dist/cli.js). `--version` and `--help` answer from two small
// files without loading the CLI (~1.5 MB of bundle: most of the cost of a command that prints a
// line); everything else loads dist/cli-main.js. help.txt is written by the build from the CLI's
// own mainHelp(), so it cannot drift from the commands.
import { readFileSync } from 'node:fs';

const [first, ...rest] = process.argv.slice(2);
const here = new URL('.', import.meta.url);

function fast(): string | undefined {
  if (rest.length > 0) return undefined;
  try {
    if (first === '--version' || first === '-v') return (JSON.parse(readFileSync(new URL('../package.json', here), 'utf8')) as { version: string }).version;
    if (first === '--help' || first === '-h' || first === 'help') return readFileSync(new URL('help.txt', here), 'utf8').trimEnd();
  } catch {
    // Missing or unreadable: the full CLI answers instead.
  }
  return undefined;
}

const answer = process.platform === 'win32' ? undefined : fast();
if (answer !== undefined) process.stdout.write(`${answer}\n`);
else {
  const cli = (await import(new URL('cli-main.js', here).href)) as { runCli(): void };
  cli.runCli();
}
