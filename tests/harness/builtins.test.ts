import { afterEach, describe, expect, test } from 'vitest';
import { changedBuiltins, describeChanges, restoreBuiltins, snapshotBuiltins, snapshotTargets, type BuiltinsSnapshot } from '../../src/harness/builtins.js';

// Each test rewrites built-ins the way a learner's module might, then puts them back with the very
// restore under test; afterEach proves nothing is left behind for the other tests in this worker.
let snap: BuiltinsSnapshot;
const realIs = Object.is;
afterEach(() => {
  restoreBuiltins(snap);
  expect(changedBuiltins(snap)).toEqual([]);
  expect(Object.is).toBe(realIs);
});

const g = globalThis as unknown as Record<string, unknown>;

describe('changedBuiltins names each change a module can make', () => {
  test.each<[string, () => void, string]>([
    ['a replaced static', () => void (Object.is = () => true), 'replaced Object.is'],
    ['a replaced prototype method', () => void (Array.prototype.includes = () => true), 'replaced Array.prototype.includes'],
    ['a deleted method', () => void Reflect.deleteProperty(Promise, 'all'), 'deleted Promise.all'],
    ['a property redefined as a getter', () => void Object.defineProperty(JSON, 'stringify', { get: () => () => '{}', configurable: true }), 'replaced JSON.stringify'],
    ['an added prototype method', () => void Object.defineProperty(Object.prototype, 'then', { value: () => 1, configurable: true, writable: true }), 'added Object.prototype.then'],
    ['a replaced global binding', () => void (g['Promise'] = class {}), 'replaced Promise'],
    ['a symbol-keyed method', () => void (Array.prototype[Symbol.iterator] = function* () {} as never), 'replaced Array.prototype[Symbol.iterator]'],
    ['an iterator prototype', () => void Object.defineProperty(Object.getPrototypeOf([][Symbol.iterator]()), 'next', { value: () => ({ done: true }), configurable: true, writable: true }), 'replaced an array iterator.next'],
    ['Function.prototype.call', () => void (Function.prototype.call = function () {} as never), 'replaced Function.prototype.call'],
    ['a swapped prototype chain', () => void Object.setPrototypeOf(Map.prototype, null), 'changed the shape of Map.prototype'],
  ])('%s', (_label, rewrite, expected) => {
    snap = snapshotBuiltins();
    rewrite();
    const changes = changedBuiltins(snap);
    restoreBuiltins(snap);
    expect(describeChanges(changes)).toContain(expected);
  });
});

test('freezing is a change of shape (shown on a stand-in: a frozen built-in cannot be thawed)', () => {
  const stand = { f: () => 1 };
  snap = snapshotBuiltins([{ name: 'Stand', object: stand }]);
  Object.freeze(stand);
  expect(changedBuiltins(snap)).toEqual([
    { name: 'Stand.f', kind: 'reshaped' },
    { name: 'Stand', kind: 'reshaped' },
  ]);
  snap = snapshotBuiltins();
});

describe('changedBuiltins stays quiet on what is not a rewrite', () => {
  test('learner globals, timers and Date are not watched (fake timers replace them on purpose)', () => {
    snap = snapshotBuiltins();
    g['myGlobal'] = 1;
    const realSetTimeout = globalThis.setTimeout;
    g['setTimeout'] = () => 0;
    g['Date'] = class {};
    const changes = changedBuiltins(snap);
    g['setTimeout'] = realSetTimeout;
    delete g['myGlobal'];
    expect(changes).toEqual([]);
  });

  test('NaN and other unchanged values compare equal; Error.stackTraceLimit is vitest\'s to change', () => {
    snap = snapshotBuiltins();
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = limit + 6;
    const changes = changedBuiltins(snap);
    Error.stackTraceLimit = limit;
    expect(changes).toEqual([]);
  });

  test('additions to an extra target can be allowed (expect.extend adds matchers)', () => {
    const target = { toBe: () => 1 } as Record<string, unknown>;
    snap = snapshotBuiltins([{ name: 'matchers', object: target, additions: false }]);
    target['toBeFancy'] = () => 2;
    expect(changedBuiltins(snap)).toEqual([]);
    target['toBe'] = () => 3;
    expect(changedBuiltins(snap)).toEqual([{ name: 'matchers.toBe', kind: 'replaced' }]);
  });
});

test('the comparison works when the tools a naive one would use are themselves rewritten', () => {
  snap = snapshotBuiltins();
  const saved = { includes: Array.prototype.includes, has: Set.prototype.has, keys: Reflect.ownKeys };
  Array.prototype.includes = () => true;
  Set.prototype.has = () => true;
  Reflect.ownKeys = () => [];
  const changes = changedBuiltins(snap);
  restoreBuiltins(snap);
  expect(Array.prototype.includes).toBe(saved.includes);
  expect(Reflect.ownKeys).toBe(saved.keys);
  expect(changes.map((c) => c.name)).toEqual(['Array.prototype.includes', 'Reflect.ownKeys', 'Set.prototype.has']);
});

test('describeChanges names up to six and counts the rest', () => {
  const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) => ({ name, kind: 'replaced' as const }));
  expect(describeChanges(many)).toBe('your code replaced a, replaced b, replaced c, replaced d, replaced e, replaced f and 2 more; the checks rely on the real ones, so this file cannot pass — remove the code that changes built-ins');
  expect(describeChanges([{ name: 'Object.is', kind: 'replaced' }])).toMatch(/^your code replaced Object\.is; the checks rely on the real one,/);
});

test('snapshotTargets records only what it is given (the harness registers its classes this way)', () => {
  snap = snapshotBuiltins();
  class Executor {
    run() {
      return 1;
    }
  }
  const record = snapshotTargets([{ name: 'Executor.prototype', object: Executor.prototype }]);
  Executor.prototype.run = () => 2;
  expect(changedBuiltins(record)).toEqual([{ name: 'Executor.prototype.run', kind: 'replaced' }]);
  restoreBuiltins(record);
  expect(new Executor().run()).toBe(1);
  expect(record.entries).toHaveLength(1);
});
