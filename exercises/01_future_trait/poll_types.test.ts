import { expect, test, vi } from 'vitest';
import { banned, seeded, SEEDS, pristine } from 'async-lessons/harness';
import * as lib from '../_lib/future';
import { Pending, Ready } from './poll_types';

// The course library (exercises/_lib/future.ts) has a Ready and a Pending of its own. Every Ready
// result it makes is recorded here, whichever way a file reaches the library, so a check can tell
// borrowed values from ones written in poll_types.ts.
const libMade = vi.hoisted(() => {
  // Hoisted above the imports, so this runs before the learner's module: the WeakSet methods
  // are the real ones even if that module later changes WeakSet.prototype.
  const set = new WeakSet<object>();
  const { add, has } = WeakSet.prototype;
  const apply = Reflect.apply;
  return { add: (o: object) => void apply(add, set, [o]), has: (o: object): boolean => apply(has, set, [o]) };
});
vi.mock('../_lib/future', async (importOriginal) => {
  const real = await importOriginal<typeof import('../_lib/future')>();
  return {
    ...real,
    Ready: <T>(value: T) => {
      const made = real.Ready(value);
      libMade.add(made);
      return made;
    },
  };
});

// Most of this exercise is checked by the type checker (poll_types.types.ts),
// which runs once these tests pass. These tests check the two values.

test('Ready builds a ready result', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(-1000, 1000);
    expect(Ready(n), `Ready(${n}) should be { ready: true, value: ${n} } (seed ${seed})`).toEqual({ ready: true, value: n });
    const obj = { id: rng.int(1, 99) };
    const r = Ready(obj);
    expect(r.ready && r.value, 'Ready(x) should carry x itself, not a copy').toBe(obj);
  }
  const empty = Ready(undefined);
  expect(
    Object.keys(empty).sort(),
    'Ready(undefined) is still a finished poll: it has both `ready` and `value` keys',
  ).toEqual(['ready', 'value']);
  expect(empty.ready, 'Ready(undefined).ready should be true').toBe(true);
});

test('each Ready is its own value', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const values = Array.from({ length: rng.int(2, 6) }, () => rng.int(-1000, 1000));
    const results = values.map((v) => Ready(v));
    results.forEach((r, i) => {
      expect(
        r,
        `Ready(${values[i]}) should still be { ready: true, value: ${values[i]} } after the other ` +
          `Ready(...) calls (seed ${seed}). Each call must build a new object: a result someone holds must not change ` +
          'when another future finishes.',
      ).toEqual({ ready: true, value: values[i] });
    });
  }
  for (const value of [0, '', false, null, undefined, Number.NaN]) {
    const r = Ready(value);
    expect(r.ready === true && 'value' in r && pristine.Object.is(r.value, value), `Ready(${String(value)}) should carry ${String(value)} as its value`).toBe(true);
  }
});

test('Pending is one frozen value', () => {
  expect(Pending, 'Pending should be { ready: false } with no other keys').toStrictEqual({ ready: false });
  expect(
    'value' in Pending,
    'Pending should have no `value` key at all: there is no value yet',
  ).toBe(false);
  // Do not rely on the freeze flag alone: try to change Pending, as a bug would.
  let changed = false;
  try {
    pristine.Reflect.set(Pending, 'ready', true);
    pristine.Reflect.set(Pending, 'value', 1);
    changed = Pending.ready !== false || 'value' in Pending;
  } catch {
    changed = false;
  }
  expect(
    changed,
    'setting Pending.ready = true (or adding a value) changed the one shared Pending: freeze it with Object.freeze, ' +
      'so that no code can turn every pending future into a ready one',
  ).toBe(false);
  expect(
    pristine.Object.isFrozen(Pending),
    'Pending should be frozen (Object.freeze): every pending future shares this one object, ' +
      'so code that changed it, even by accident, would change the answer of all of them',
  ).toBe(true);
});

test('no any, casts or ts directives', () => {
  const findings = banned(
    new URL('./poll_types.ts', import.meta.url),
    ['any', 'as', 'ts-directives'],
    'these switch the type checker off, and the point here is types it can check',
  );
  expect(findings, findings.join('\n')).toEqual([]);
});

test('written here, not taken from _lib', () => {
  const findings = banned(
    new URL('./poll_types.ts', import.meta.url),
    ['import-type:../_lib'],
    'the course library holds finished versions of these types and values; write your own here',
  );
  expect(findings, findings.join('\n')).toEqual([]);
  expect(Pending === lib.Pending, "Pending is the course library's Pending: make your own frozen object").toBe(false);
  expect(
    libMade.has(Ready(1)),
    "Ready(...) returned a result built by the course library's Ready: build the object yourself",
  ).toBe(false);
});
