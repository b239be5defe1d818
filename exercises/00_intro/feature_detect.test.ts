import { afterEach, expect, test, vi } from 'vitest';
import { seeded, SEEDS } from 'async-lessons/harness';
import type { Resolvers } from './feature_detect';

// Each test changes the runtime first (removes or replaces Promise.withResolvers,
// changes the reported Node version) and then loads a fresh copy of the
// exercise, so checking for the feature when the module loads works as well as
// checking on every call.
async function loadExercise() {
  vi.resetModules();
  return import('./feature_detect');
}

// Everything the tests change, so afterEach can put it back exactly.
const saved = {
  withResolvers: Object.getOwnPropertyDescriptor(Promise, 'withResolvers'),
  versionsNode: Object.getOwnPropertyDescriptor(process.versions, 'node'),
  version: Object.getOwnPropertyDescriptor(process, 'version'),
};

function restore(target: object, key: string, descriptor: PropertyDescriptor | undefined): void {
  if (descriptor) Object.defineProperty(target, key, descriptor);
  else Reflect.deleteProperty(target, key);
}

function removeNativeWithResolvers(): void {
  Reflect.deleteProperty(Promise, 'withResolvers');
}

function pretendNodeVersion(version: string): void {
  Object.defineProperty(process.versions, 'node', { value: version, configurable: true, enumerable: true });
  Object.defineProperty(process, 'version', { value: `v${version}`, configurable: true, enumerable: true });
}

afterEach(() => {
  restore(Promise, 'withResolvers', saved.withResolvers);
  restore(process.versions, 'node', saved.versionsNode);
  restore(process, 'version', saved.version);
});

/** Lets already-queued promise reactions run; uses no timers. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function watch<T>(promise: Promise<T>) {
  const state: { status: 'pending' | 'fulfilled' | 'rejected'; value?: T; reason?: unknown } = { status: 'pending' };
  promise.then(
    (value) => Object.assign(state, { status: 'fulfilled', value }),
    (reason: unknown) => Object.assign(state, { status: 'rejected', reason }),
  );
  return state;
}

/** Calls withResolvers and turns a throw into a failed expectation that says where. */
function create<T>(make: () => Resolvers<T>, where: string): Resolvers<T> | undefined {
  let thrown: unknown;
  try {
    return make();
  } catch (error) {
    thrown = error;
  }
  const why = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  expect(false, `withResolvers() should work ${where}, but it threw ${why}`).toBe(true);
  return undefined;
}

/** Checks that resolve and reject, called later from outside, settle the promise. */
async function expectWorkingResolvers(make: <T>() => Resolvers<T>, seed: number, where: string) {
  const rng = seeded(seed);
  const value = rng.int(1, 1_000_000);
  const error = new Error(`refused #${rng.int(1, 1000)}`);

  const first = create(() => make<number>(), where);
  const second = create(() => make<number>(), where);
  if (!first || !second) return;
  expect(first.promise, `withResolvers() should return { promise, resolve, reject } ${where}`).toBeInstanceOf(Promise);

  const a = watch(first.promise);
  const b = watch(second.promise);
  await settle();
  expect(a.status, `the promise should stay pending until resolve or reject is called (${where})`).toBe('pending');

  first.resolve(value);
  await settle();
  expect(a, `after resolve(${value}) the promise should fulfil with ${value} (${where}, seed ${seed})`).toEqual({
    status: 'fulfilled',
    value,
  });
  expect(b.status, `each call should make a new, independent promise (${where})`).toBe('pending');

  second.reject(error);
  await settle();
  expect(b, `after reject(error) the promise should reject with that same error (${where}, seed ${seed})`).toEqual({
    status: 'rejected',
    reason: error,
  });
}

test('works where Promise.withResolvers is missing', async () => {
  removeNativeWithResolvers();
  const { withResolvers } = await loadExercise();
  for (const seed of SEEDS) {
    await expectWorkingResolvers(withResolvers, seed, 'on a runtime without Promise.withResolvers');
  }
});

test('works where Promise.withResolvers is there but not a function', async () => {
  for (const [i, placeholder] of [null, false, 0, ''].entries()) {
    // Some shims and bundlers leave a placeholder where a missing method would be.
    Object.defineProperty(Promise, 'withResolvers', { value: placeholder, configurable: true, writable: true });
    const { withResolvers } = await loadExercise();
    await expectWorkingResolvers(
      withResolvers,
      SEEDS[i % SEEDS.length] ?? 1,
      `on a runtime where Promise.withResolvers is ${JSON.stringify(placeholder)}, not a function ` +
        '(only a function can be called: ask typeof … === "function", not whether the property is there)',
    );
  }
});

test('uses the native method when it exists', async () => {
  // An old version number, yet the method is there (a backport or a polyfill
  // loaded earlier): only a check for the feature itself gets this right.
  pretendNodeVersion('20.0.0');
  const handed: unknown[] = [];
  const native = vi.fn(function (this: unknown) {
    if (this !== Promise) {
      // What the real method does when it is called detached from Promise.
      throw new TypeError('Promise.withResolvers called on non-object (call it as Promise.withResolvers())');
    }
    let resolve!: (value: unknown) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const result = { promise, resolve, reject };
    handed.push(result);
    return result;
  });
  Object.defineProperty(Promise, 'withResolvers', { value: native, configurable: true, writable: true });
  const { withResolvers } = await loadExercise();

  for (const seed of SEEDS) {
    native.mockClear();
    handed.length = 0;
    const calls = seeded(seed).int(2, 6);
    const results: unknown[] = [];
    for (let i = 0; i < calls; i++) {
      results.push(create(() => withResolvers<string>(), 'when Promise.withResolvers exists'));
    }
    expect(
      native.mock.calls.length,
      `Promise.withResolvers exists here, so each of the ${calls} calls should use it, once ` +
        `per call, even though process.versions.node says 20.0.0. Check for the method, not ` +
        `for the version, and do not always use your fallback (seed ${seed}).`,
    ).toBe(calls);
    for (const [i, result] of results.entries()) {
      expect(result, `call ${i + 1} should return the very object Promise.withResolvers() made`).toBe(handed[i]);
    }
  }
});

test('ignores the version number', async () => {
  removeNativeWithResolvers();
  pretendNodeVersion('99.0.0');
  const { withResolvers } = await loadExercise();
  for (const seed of SEEDS) {
    await expectWorkingResolvers(
      withResolvers,
      seed,
      'on a runtime that reports Node 99 but has no Promise.withResolvers (a version ' +
        'number says nothing certain about features)',
    );
  }
});
