import { afterEach, expect, test, vi } from 'vitest';
import { banned, seeded, SEEDS } from 'async-lessons/harness';
import { banner, configFile, getPort, loadConfig, main } from './function_coloring';

const shippedConfig = configFile.text;

afterEach(() => {
  configFile.text = shippedConfig;
  vi.restoreAllMocks();
});

/** What a value looks like when it is printed, so a message can show it. */
function shown(value: unknown): string {
  if (value instanceof Promise) return 'a Promise';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Explains the usual reasons a line came out wrong. */
function why(line: unknown): string {
  const text = String(line);
  if (text.includes('undefined')) {
    return ' The port came out as undefined: something read `.port` from the Promise loadConfig() returns instead of from the Config it resolves to (TypeScript reports this line as TS2339).';
  }
  if (text.includes('[object Promise]') || text.includes('Promise {')) {
    return ' A Promise was printed where its value should be: a caller used the result of an async function without awaiting it. TypeScript does not object to a Promise inside a template literal or console.log, so look for it yourself.';
  }
  return '';
}

/** Runs main() with console.log captured; returns what main returned and the lines logged by the time it settled. */
async function runMain(): Promise<{ returned: unknown; lines: unknown[][] }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const returned: unknown = main();
  await returned;
  const lines = log.mock.calls.map((call) => [...call]);
  log.mockRestore();
  return { returned, lines };
}

test('main logs listening on 8080', async () => {
  const { returned, lines } = await runMain();
  const first = lines[0]?.[0];
  expect(
    lines,
    `await main() should have printed exactly one line, "listening on 8080", by the time ` +
      `its Promise resolved. It printed ${lines.length === 0 ? 'nothing' : lines.map((l) => l.map(shown).join(' ')).join(' | ')}.` +
      (lines.length === 0 && !(returned instanceof Promise)
        ? ' main() returned no Promise, so nothing could wait for it: make main async and await the banner before printing it.'
        : why(first)),
  ).toEqual([['listening on 8080']]);
  expect(
    returned instanceof Promise,
    'main() should be async: it waits for the configuration, so it returns a Promise that resolves after it has printed.',
  ).toBe(true);
});

test('follows the config file', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const port = rng.int(1024, 65535);
    configFile.text = JSON.stringify({ host: `host-${rng.int(1, 99)}`, port });
    const got: unknown = await getPort();
    expect(
      got,
      `with port ${port} in the config file, await getPort() should give ${port}, but gave ${shown(got)} (seed ${seed}).` +
        (typeof got === 'number'
          ? ' Read the configuration each time the function runs: no constants, and no copy taken when the module loads.'
          : why(got)),
    ).toBe(port);
    const text: unknown = await banner();
    expect(text, `await banner() should give "listening on ${port}" (seed ${seed}).${why(text)}`).toBe(`listening on ${port}`);
    const { lines } = await runMain();
    expect(lines, `await main() should print "listening on ${port}" once (seed ${seed}).${why(lines[0]?.[0])}`).toEqual([
      [`listening on ${port}`],
    ]);
  }
});

test('waits for loadConfig', async () => {
  vi.useFakeTimers();
  try {
    for (const seed of SEEDS) {
      const port = seeded(seed).int(1024, 65535);
      configFile.text = JSON.stringify({ host: 'example', port });
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const states = { getPort: false, banner: false, main: false };
      const calls: Array<[keyof typeof states, unknown]> = [['getPort', getPort()], ['banner', banner()], ['main', main()]];
      for (const [name, p] of calls) {
        if (p instanceof Promise) {
          p.then(
            () => {
              states[name] = true;
            },
            () => {
              states[name] = true;
            },
          );
        }
      }
      for (let i = 0; i < 20; i++) await Promise.resolve();
      const early = Object.entries(states).filter(([, done]) => done).map(([name]) => `${name}()`);
      expect(
        early,
        `${early.join(', ')} settled before loadConfig() had read the file (it takes a moment, like real file IO). ` +
          'Each function should get the configuration by awaiting loadConfig(), not by reading configFile.text itself: ' +
          `that turns the async read back into a sync one (seed ${seed}).`,
      ).toEqual([]);
      await vi.runAllTimersAsync();
      log.mockRestore();
      expect(states, `after loadConfig() finished, getPort(), banner() and main() should all have settled (seed ${seed})`).toEqual({
        getPort: true,
        banner: true,
        main: true,
      });
    }
  } finally {
    vi.useRealTimers();
  }
});

test('loadConfig stays async', async () => {
  const port = seeded(SEEDS[0]!).int(1024, 65535);
  configFile.text = JSON.stringify({ host: 'example', port });
  const result: unknown = loadConfig();
  expect(
    result instanceof Promise,
    'loadConfig() should still return a Promise. Making it synchronous again removes the problem ' +
      'instead of solving it: real file and network reads are async, and this exercise is about living with that.',
  ).toBe(true);
  expect(await result, 'loadConfig() should resolve to the parsed config file').toEqual({ host: 'example', port });
});

test('no any, casts or ts directives', () => {
  const findings = banned(
    new URL('./function_coloring.ts', import.meta.url),
    ['any', 'as', 'ts-directives'],
    'silencing the type checker hides the Promise instead of waiting for it; let async spread to the callers',
  );
  expect(findings, findings.join('\n')).toEqual([]);
});
