import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { SEEDS, banned, expectBusy, measureBlocking, seeded, type BlockingReport } from 'async-lessons/harness';
import { type Deps, type Response, handle } from './blocking_io';

interface FakeFile {
  text: string;
  size: number; // what the disk reports; deliberately not text.length
  statMs: number;
  readMs: number;
  /** A disk error: stat or readFile of this file rejects with it (an EIO, a file removed in between). */
  fails?: { in: 'stat' | 'readFile'; error: Error };
}

/** Busy-waits on the real clock: what a blocking disk call does to the thread. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/**
 * A fake disk. The async calls answer after each file's delay (on whatever timers are installed);
 * the sync calls answer at once with the same data, or after `blockMs` of real busy-waiting.
 */
function fakeFs(files: Map<string, FakeFile>, blockMs = 0) {
  const log = { statSync: 0, readFileSync: 0, stat: 0, readFile: 0, readCalls: [] as string[], inFlight: 0, maxInFlight: 0 };
  const later = <T>(ms: number, value: () => T): Promise<T> => {
    log.inFlight += 1;
    log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
    return new Promise<T>((resolve, reject) =>
      setTimeout(() => {
        log.inFlight -= 1;
        try {
          resolve(value());
        } catch (error) {
          reject(error);
        }
      }, ms),
    );
  };
  const read = (path: string): string => {
    const f = files.get(path);
    if (f === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    if (f.fails?.in === 'readFile') throw f.fails.error;
    return f.text;
  };
  const statOf = (path: string) => {
    const f = files.get(path);
    if (f?.fails?.in === 'stat') throw f.fails.error;
    return f === undefined ? undefined : { size: f.size };
  };
  const deps: Deps = {
    fs: {
      statSync(path) {
        log.statSync += 1;
        spin(blockMs);
        return statOf(path);
      },
      readFileSync(path) {
        log.readFileSync += 1;
        spin(blockMs);
        return read(path);
      },
      stat(path) {
        log.stat += 1;
        return later(files.get(path)?.statMs ?? 7, () => statOf(path));
      },
      readFile(path) {
        log.readFile += 1;
        log.readCalls.push(path);
        return later(files.get(path)?.readMs ?? 7, () => read(path));
      },
    },
  };
  return { deps, log };
}

/** Seeded requests: between 3 and 8 paths, some of them missing. */
function scenario(seed: number) {
  const rng = seeded(seed);
  const n = rng.int(3, 8);
  const files = new Map<string, FakeFile>();
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const path = `/srv/${seed}/f${i}.txt`;
    paths.push(path);
    if (i > 0 && rng.int(0, 3) === 0) continue; // missing: a 404 (never the first, so some file exists)
    const text = `file ${i}: ${'x'.repeat(rng.int(0, 40))}`;
    files.set(path, { text, size: text.length * 2 + rng.int(1, 9), statMs: rng.int(5, 40), readMs: rng.int(5, 40) });
  }
  const expected = paths.map((p): Response => {
    const f = files.get(p);
    return f === undefined ? { status: 404, body: '' } : { status: 200, body: f.text, size: f.size };
  });
  return { files, paths, expected };
}

function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

const SYNC_HELP =
  'A blocking call freezes the whole thread until it returns, whether or not the function around it is async, ' +
  'and even when it runs after an await. Use `await deps.fs.stat(path)` and `await deps.fs.readFile(path)`.';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('never calls a blocking (…Sync) function', async () => {
  for (const seed of SEEDS) {
    const { files, paths, expected } = scenario(seed);
    const { deps, log } = fakeFs(files);
    const all = watch(Promise.all(paths.map((path) => handle({ path }, deps))));
    await vi.advanceTimersByTimeAsync(100);
    expect(log.statSync, `statSync was called ${log.statSync} time(s) for ${paths.length} requests. ${SYNC_HELP}`).toBe(0);
    expect(log.readFileSync, `readFileSync was called ${log.readFileSync} time(s) for ${paths.length} requests. ${SYNC_HELP}`).toBe(0);
    expect(all.error, 'handle should not throw').toBeUndefined();
    expect(all.value, `the responses for ${paths.length} requests, in order (seed ${seed})`).toEqual(expected);
    expect(log.stat, 'one stat per request').toBe(paths.length);
    expect(log.readFile, 'one readFile per file that exists').toBe(files.size);
  }
});

test('a missing file is a 404 and is never read', async () => {
  for (const seed of SEEDS) {
    const { files, paths, expected } = scenario(seed);
    const { deps, log } = fakeFs(files);
    const missing = `/srv/${seed}/nope.txt`;
    const got = watch(handle({ path: missing }, deps));
    await vi.advanceTimersByTimeAsync(100);
    expect(got.value, 'stat gives undefined for a file that does not exist: answer { status: 404, body: "" }').toEqual({ status: 404, body: '' });
    const all = watch(Promise.all(paths.map((path) => handle({ path }, deps))));
    await vi.advanceTimersByTimeAsync(100);
    expect(all.value).toEqual(expected);
    expect(
      log.readCalls.sort(),
      'only the files that exist are read, each once: look at what stat said before you call readFile',
    ).toEqual([...files.keys()].sort());
  }
});

test('concurrent requests wait for the disk at the same time', async () => {
  for (const seed of SEEDS) {
    const { files, paths, expected } = scenario(seed);
    const { deps, log } = fakeFs(files);
    const each = paths.map((path) => watch(handle({ path }, deps)));
    await vi.advanceTimersByTimeAsync(0);
    expect(
      log.inFlight,
      `${paths.length} requests arrived together, so all ${paths.length} should be waiting on the disk at once; ` +
        `${log.inFlight} were. ${SYNC_HELP}`,
    ).toBe(paths.length);
    // Each response is ready exactly when its own disk answers arrive: stat's delay, then read's.
    const due = paths.map((p) => {
      const f = files.get(p);
      return f === undefined ? 7 : f.statMs + f.readMs;
    });
    for (let t = 1; t <= Math.max(...due); t++) {
      await vi.advanceTimersByTimeAsync(1);
      each.forEach((s, i) => {
        expect(s.settled, `request ${i} (${paths[i]}) at ${t} ms: its disk answers take ${due[i]} ms (seed ${seed})`).toBe(t >= (due[i] ?? 0));
      });
    }
    expect(each.map((s) => s.value)).toEqual(expected);
    expect(log.maxInFlight).toBe(paths.length);
  }
});

test('a disk error reaches the caller; it is not a 404', async () => {
  for (const seed of SEEDS) {
    const { files, paths, expected } = scenario(seed);
    const rng = seeded(seed + 1);
    // One existing file whose read fails, and (when there is a second) one whose stat fails.
    const existing = paths.filter((p) => files.has(p));
    const broken = new Map<string, Error>();
    existing.slice(0, 2).forEach((p, i) => {
      const error = new Error(`EIO: i/o error, ${i === 0 ? 'read' : 'stat'} '${p}' (${rng.int(0, 999)})`);
      const f = files.get(p);
      if (f !== undefined) f.fails = { in: i === 0 ? 'readFile' : 'stat', error };
      broken.set(p, error);
    });
    const { deps } = fakeFs(files);
    const each = paths.map((path) => watch(handle({ path }, deps)));
    await vi.advanceTimersByTimeAsync(100);
    paths.forEach((p, i) => {
      const s = each[i];
      const error = broken.get(p);
      if (error === undefined) {
        expect(s?.value, `request ${i} (${p}) has no disk error and is answered as usual`).toEqual(expected[i]);
      } else {
        expect(
          s?.error,
          `the disk failed for ${p} (${error.message}); handle should reject with that same error. ` +
            `A 404 means "no such file" and is only for stat giving undefined; turning other errors into a 404 (or a 200) hides them from the caller.`,
        ).toBe(error);
      }
    });
  }
});

test('the event loop keeps turning while the disk works (real clock)', async () => {
  vi.useRealTimers();
  const { files, paths, expected } = scenario(SEEDS[1] ?? 42);
  // Here the blocking calls really block: 250 ms of busy-waiting each, as a slow disk would.
  const { deps } = fakeFs(files, 250);
  const some = paths.slice(0, 3);
  expectBusy(2 * 250 * some.length + 500); // a blocking answer blocks on purpose; the check still measures it
  let report: BlockingReport<Response[]>;
  try {
    report = await measureBlocking(() => Promise.all(some.map((path) => handle({ path }, deps))));
  } finally {
    expectBusy(0);
  }
  // measureBlocking's heartbeat may have one setImmediate left: let it run, so nothing outlives the test.
  await new Promise((resolve) => setImmediate(resolve));
  expect(report.value).toEqual(expected.slice(0, 3));
  expect(
    report.maxGapMs,
    `the event loop stood still for ${Math.round(report.maxGapMs)} ms while ${some.length} requests were served ` +
      `(a blocking disk call here takes 250 ms). ${SYNC_HELP}`,
  ).toBeLessThan(150); // the margin is for a busy machine's own pauses
}, 3000);

test('waits through the fs Promises, not by a detour', () => {
  const found = banned(
    new URL('./blocking_io.ts', import.meta.url),
    ['import:node:fs', 'import:node:worker_threads', 'import:node:child_process', 'import:async-lessons'],
    'serve the file with deps.fs.stat and deps.fs.readFile',
  );
  expect(found, found.join('\n')).toEqual([]);
});
