import { afterEach, expect, test } from 'vitest';
import { pristine, SEEDS } from '../../src/harness/index.js';
import { changedBuiltins, restoreBuiltins, snapshotBuiltins } from '../../src/harness/builtins.js';
import { PRISTINE_SLOT, installPristine } from '../../src/harness/pristine.js';

// Outside the engine nothing fills the slot first, so the harness captured at its own import (above).
const snap = snapshotBuiltins();
// vitest's module runner reads imported bindings through functions a rewrite breaks: use locals.
const real = { pristine, restore: restoreBuiltins };
afterEach(() => {
  restoreBuiltins(snap);
  expect(changedBuiltins(snap)).toEqual([]);
});

const g = globalThis as unknown as Record<string, unknown>;

function rewriteEverything(): void {
  Object.is = () => true;
  Object.isFrozen = () => true;
  Object.keys = () => [];
  Reflect.ownKeys = () => [];
  Array.isArray = ((_x: unknown) => true) as typeof Array.isArray;
  Array.prototype.includes = () => true;
  Array.prototype.map = () => [];
  Function.prototype.call = () => 'forged';
  Function.prototype.apply = () => 'forged';
  Promise.all = (() => Promise.resolve(['forged'])) as never;
  Promise.prototype.then = function (this: unknown) {
    return this;
  } as never;
  JSON.stringify = () => 'forged';
  Map.prototype.get = () => 'forged';
  Map.prototype.forEach = () => {};
  Set.prototype.has = () => true;
  Math.max = () => 42;
  Number.isInteger = () => true;
  WeakRef.prototype.deref = () => undefined;
  g['Promise'] = class {};
}

test('the copies answer truthfully after a module rewrote the live built-ins', async () => {
  const m = new Map([['a', 1]]);
  const s = new Set([1]);
  const target = {};
  const ref = new WeakRef(target);
  const seven = Promise.resolve(7);
  const { pristine: p, restore } = real;
  rewriteEverything();
  // Read everything while the rewrites are live, assert once they are gone: expect itself uses them.
  let seen: unknown;
  p.Promise.then(seven, (v) => (seen = v));
  const got = {
    is: p.Object.is(1, 2),
    isFrozen: p.Object.isFrozen({}),
    keys: p.Object.keys({ a: 1 }),
    ownKeys: p.Reflect.ownKeys({ b: 1 }),
    isArray: p.Array.isArray({}),
    includes: p.Array.includes([1, 2], 3),
    map: p.Array.map([1, 2], (x) => x * 2),
    call: p.call((a: number) => a + 1, undefined, 1),
    stringify: p.JSON.stringify({ a: 1 }),
    get: p.Map.get(m, 'a'),
    entries: p.Map.entries(m),
    has: p.Set.has(s, 2),
    max: p.Math.max(1, 2),
    isInteger: p.Number.isInteger(1.5),
    deref: p.deref(ref) === target,
    isPromise: p.types.isPromise(seven),
    ctor: p.Promise.Promise === g['Promise'],
  };
  restore(snap);
  expect(got).toEqual({
    is: false, isFrozen: false, keys: ['a'], ownKeys: ['b'], isArray: false, includes: false, map: [2, 4], call: 2,
    stringify: '{"a":1}', get: 1, entries: [['a', 1]], has: false, max: 2, isInteger: false, deref: true, isPromise: true, ctor: false,
  });
  await seven;
  await null;
  expect(seen).toBe(7);
});

test('an array the learner returns cannot answer for itself', () => {
  const forged = Object.assign([1, 2], { includes: () => true, length: 2 });
  expect(forged.includes(3)).toBe(true);
  expect(pristine.Array.includes(forged, 3)).toBe(false);
  expect(pristine.Array.copy(forged)).toEqual([1, 2]);
});

test('pristine.Promise works with the real constructor', async () => {
  expect(await pristine.Promise.all([1, Promise.resolve(2)])).toEqual([1, 2]);
  expect(await pristine.Promise.allSettled([pristine.Promise.reject(new Error('x'))])).toMatchObject([{ status: 'rejected' }]);
  const d = pristine.Promise.deferred<number>();
  d.resolve(3);
  expect(await d.promise).toBe(3);
});

test('the record is frozen and its slot is written once', () => {
  expect(Object.isFrozen(pristine)).toBe(true);
  expect(Object.isFrozen(pristine.Object)).toBe(true);
  expect(Object.isFrozen(pristine.Array)).toBe(true);
  expect(installPristine()).toBe(pristine);
  const slot = Object.getOwnPropertyDescriptor(globalThis, PRISTINE_SLOT);
  expect(slot).toMatchObject({ writable: false, configurable: false, value: pristine });
});

test('SEEDS is frozen: a module that trimmed it would shrink every check that loops over it', () => {
  expect(Object.isFrozen(SEEDS)).toBe(true);
  expect(() => (SEEDS as number[]).splice(1)).toThrow(TypeError);
});
