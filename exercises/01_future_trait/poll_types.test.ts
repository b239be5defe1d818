import { expect, test } from 'vitest';
import { banned, seeded, SEEDS } from 'async-lessons/harness';
import { Pending, Ready } from './poll_types';

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

test('Pending is one frozen value', () => {
  expect(Pending, 'Pending should be { ready: false } with no other keys').toStrictEqual({ ready: false });
  expect(
    'value' in Pending,
    'Pending should have no `value` key at all: there is no value yet',
  ).toBe(false);
  expect(
    Object.isFrozen(Pending),
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
