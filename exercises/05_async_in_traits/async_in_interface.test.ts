import { expect, test } from 'vitest';
import { SEEDS, banned, seeded } from 'async-lessons/harness';
import { LoggingStore, MemoryStore, SlowStore, type KeyValueStore } from './async_in_interface';

/** A store whose answers the test releases by hand, in any order. */
function manualStore() {
  const calls: string[] = [];
  const pending: Array<() => void> = [];
  const data = new Map<string, string>();
  const store: KeyValueStore = {
    get(key) {
      calls.push(`get ${key}`);
      return new Promise((resolve) => pending.push(() => resolve(data.get(key))));
    },
    set(key, value) {
      calls.push(`set ${key}=${value}`);
      return new Promise((resolve) =>
        pending.push(() => {
          data.set(key, value);
          resolve();
        }),
      );
    },
  };
  return { store, calls, data, releaseAll: (order: number[]) => order.forEach((i) => pending[i]?.()) };
}

test('delegates to the inner store', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const inner = new MemoryStore();
    const key = `k${rng.int(1, 999)}`;
    const value = `v${rng.int(1, 999)}`;
    inner.data.set('preset', 'from inner');
    const store = new LoggingStore(inner, []);
    await store.set(key, value);
    expect(inner.data.get(key), `set('${key}', '${value}') should reach the inner store (seed ${seed})`).toBe(value);
    expect(await store.get(key), `get('${key}') should return what the inner store has (seed ${seed})`).toBe(value);
    expect(await store.get('preset'), 'get should read from the inner store, not from a copy of its own').toBe('from inner');
    expect(await store.get('missing'), 'a key nobody set gives undefined').toBeUndefined();
  }
});

test('logs every call in call order', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const { store: inner, calls, releaseAll } = manualStore();
    const log: string[] = [];
    const store = new LoggingStore(inner, log);
    const [a, b, c] = rng.distinct(3, 1, 99).map((n) => `key${n}`);
    const value = `v${rng.int(1, 999)}`;
    const results = [store.get(a ?? ''), store.set(b ?? '', value), store.get(c ?? '')];
    const expected = [`get ${a}`, `set ${b}=${value}`, `get ${c}`];
    expect(
      log,
      'each call should be logged the moment it is made, before its answer arrives, in the form ' +
        `"get <key>" / "set <key>=<value>" (seed ${seed})`,
    ).toEqual(expected);
    expect(calls, 'each call should be passed to the inner store straight away').toEqual(expected);
    releaseAll(rng.shuffle([0, 1, 2])); // the answers arrive in a random order
    await Promise.all(results);
    expect(log, 'the answers arriving later must not add to the log').toEqual(expected);
  }
});

test('a caller of set waits until the inner store has stored', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const { store: inner, data, releaseAll } = manualStore();
    const store = new LoggingStore(inner, []);
    const key = `k${rng.int(1, 999)}`;
    const value = rng.pick(['', '0', `v${rng.int(1, 999)}`]);
    let setDone = false;
    const setting = store.set(key, value).then(() => {
      setDone = true;
    });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(
      setDone,
      "set's promise resolved while the inner store had not stored the value yet: return (or await) the inner " +
        "store's promise, so that a caller's await means \"stored\" (a Rust future that is not awaited does nothing " +
        'at all; a JavaScript promise that is not awaited runs on unobserved)',
    ).toBe(false);
    releaseAll([0]);
    await setting;
    expect(data.get(key), `once set resolves, the inner store holds '${value}' (seed ${seed})`).toBe(value);
    let got: unknown = 'not yet';
    const getting = store.get(key).then((v) => {
      got = v;
    });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(got, "get resolves only with the inner store's answer, not before").toBe('not yet');
    releaseAll([1]);
    await getting;
    expect(got, `get gives back what the inner store answered, '' and '0' included (seed ${seed})`).toBe(value);
  }
});

test('works around any store, including a slow one', async () => {
  const log: string[] = [];
  const waits: number[] = [];
  const slow = new SlowStore(new MemoryStore(), 7, async (ms) => {
    waits.push(ms);
  });
  const store = new LoggingStore(slow, log);
  await store.set('a', '1');
  expect(await store.get('a'), 'the value set through the decorator comes back').toBe('1');
  expect(log, 'both calls are logged').toEqual(['set a=1', 'get a']);
  expect(waits, 'the slow store waited before each call').toEqual([7, 7]);
});

test('uses no any, casts or ts-directives', () => {
  const found = banned(
    new URL('./async_in_interface.ts', import.meta.url),
    ['any', 'as', 'ts-directives'],
    'fix the types instead of switching the checker off',
  );
  expect(found, found.join('\n')).toEqual([]);
});
