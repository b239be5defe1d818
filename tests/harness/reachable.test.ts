import { describe, expect, test } from 'vitest';
import { collected, keepsAlive, reachable, retainedAfter } from '../../src/harness/index.js';

const MB = 1 << 20;

// Each way a value can hold a large buffer out of sight of a walk over enumerable own properties
// (the walk checks used before): the new walker must see every one.
describe('reachable sees large data however it is held', () => {
  const buf = () => new Uint8Array(MB);
  test.each<[string, () => unknown, RegExp]>([
    ['a plain field', () => ({ data: buf() }), /^root\.data \(a Uint8Array of 1048576 bytes over a 1048576-byte ArrayBuffer\)$/],
    ['a non-enumerable field', () => Object.defineProperty({}, 'data', { value: buf(), enumerable: false }), /^root\.data /],
    ['a symbol key', () => ({ [Symbol('hidden')]: buf() }), /^root\[Symbol\(hidden\)\] /],
    ['a small view of a large buffer', () => ({ head: buf().subarray(0, 8) }), /^root\.head \(a Uint8Array of 8 bytes over a 1048576-byte ArrayBuffer\)$/],
    ['a DataView', () => ({ v: new DataView(new ArrayBuffer(MB)) }), /^root\.v \(a DataView of/],
    ['a bare ArrayBuffer', () => ({ b: new ArrayBuffer(MB) }), /^root\.b \(a 1048576-byte ArrayBuffer\)$/],
    ['a Map value', () => ({ m: new Map([['k', buf()]]) }), /^root\.m\.get\("k"\) /],
    ['a Map key', () => ({ m: new Map([[buf(), 1]]) }), /^root\.m\.<key 0> /],
    ['a Set item', () => ({ s: new Set([buf()]) }), /^root\.s\.<item 0> /],
    ['a long string', () => ({ text: 'x'.repeat(200_000) }), /^root\.text \(a string of 200000 characters\)$/],
    ['a boxed long string', () => ({ text: new String('x'.repeat(200_000)) }), /^root\.text\.valueOf\(\) \(a string of 200000/],
    ['a long array', () => ({ rows: new Array(20_000).fill(0) }), /^root\.rows \(an array of 20000 items\)$/],
    ['a static field on the class', () => new (class Holder { static cache = buf(); })(), /^root\.<prototype>\.constructor\.cache /],
    ['a field on the prototype', () => { class Holder {} (Holder.prototype as unknown as Record<string, unknown>)['cache'] = buf(); return new Holder(); }, /^root\.<prototype>\.cache /],
    ['a property of a function value', () => ({ f: Object.assign(() => 1, { cache: buf() }) }), /^root\.f\.cache /],
    ['deep nesting', () => ({ a: { b: { c: { d: [{ e: buf() }] } } } }), /^root\.a\.b\.c\.d\[.0.\]\.e /],
  ])('%s', (_label, make, where) => {
    const r = reachable(make());
    expect(r.big).toHaveLength(1);
    expect(r.big[0]).toMatch(where);
  });

  test('a getter is listed, not called, unless asked', () => {
    let calls = 0;
    const holder = {
      get data() {
        calls += 1;
        return new Uint8Array(MB);
      },
    };
    const quiet = reachable(holder, { name: 'future' });
    expect([quiet.big, quiet.accessors, calls]).toEqual([[], ['future.data'], 0]);
    const called = reachable(holder, { getters: 'call' });
    expect([called.big.length, calls]).toEqual([1, 1]);
  });

  test('functions, Proxies, promises and WeakMaps are named as what a walk cannot open', () => {
    const r = reachable({ f: () => 1, p: new Proxy({}, {}), q: Promise.resolve(1), w: new WeakMap() });
    expect(r.functions).toEqual(['root.f']);
    expect(r.opaque.map((s) => s.split(' ')[0])).toEqual(['root.p', 'root.q', 'root.w']);
  });

  test('methods and getters on a class are shared code, not state', () => {
    class Fut {
      n = 1;
      poll() {
        return this.n;
      }
      get twice() {
        return this.n * 2;
      }
    }
    const r = reachable(new Fut());
    expect([r.functions, r.accessors, r.big]).toEqual([[], [], []]);
  });

  test('bytes totals what is held, a buffer counted once however many views share it', () => {
    const b = new ArrayBuffer(4096);
    const r = reachable({ a: new Uint8Array(b), c: new Uint8Array(b, 10, 10), s: 'abc' });
    expect(r.bytes).toBe(4096 + 3);
    expect(r.big).toEqual([]);
  });

  test('cycles end, and maxDepth cuts a walk short and says so', () => {
    const a: Record<string, unknown> = {};
    a['self'] = a;
    expect(reachable(a).truncated).toBe(false);
    const deep = { x: { y: { z: { big: new Uint8Array(MB) } } } };
    const r = reachable(deep, { maxDepth: 2 });
    expect([r.truncated, r.big]).toEqual([true, []]);
  });

  test('an own byteLength cannot lie about a buffer', () => {
    const u = new Uint8Array(MB);
    Object.defineProperty(u, 'byteLength', { value: 1 });
    expect(reachable({ u }).big).toHaveLength(1);
  });
});

describe('keepsAlive gives the path to one value', () => {
  test('through a view of its buffer, a Map, or a prototype', () => {
    const raw = new Uint8Array(64);
    expect(keepsAlive({ state: { rest: raw.subarray(4) } }, raw.buffer, { name: 'future' })).toBe('future.state.rest.buffer');
    expect(keepsAlive({ m: new Map([[1, raw]]) }, raw)).toBe('root.m.get(1)');
    expect(keepsAlive({ n: 1, s: 'x' }, raw)).toBeUndefined();
  });
});

describe('retainedAfter asks the garbage collector', () => {
  class Parser {
    rows = 0;
    constructor(raw: Uint8Array, keep: 'nothing' | 'field' | 'closure' | 'private' | 'module') {
      this.rows = raw.length;
      if (keep === 'field') (this as unknown as Record<string, unknown>)['raw'] = raw;
      if (keep === 'closure') (this as unknown as Record<string, unknown>)['next'] = () => raw.length;
      if (keep === 'private') this.#raw = raw;
      if (keep === 'module') parked.push(raw);
    }
    #raw: Uint8Array | undefined;
    get held() {
      return this.#raw !== undefined;
    }
  }
  const parked: Uint8Array[] = [];

  test.each(['field', 'closure', 'private', 'module'] as const)('finds the input kept by a %s', async (keep) => {
    const { retained, result } = await retainedAfter(() => new Uint8Array(MB), (raw) => new Parser(raw, keep));
    expect(retained).toBe(true);
    expect(result.rows).toBe(MB);
    parked.length = 0;
  });

  test('and says it is gone when only numbers were kept', async () => {
    const { retained, result } = await retainedAfter(() => new Uint8Array(MB), (raw) => new Parser(raw, 'nothing'));
    expect(retained).toBe(false);
    expect(result.rows).toBe(MB);
  });

  test('collected() on a WeakRef', async () => {
    let keep: object | undefined = { a: 1 };
    const ref = new WeakRef(keep);
    expect(await collected(ref, 1)).toBe(false);
    keep = undefined;
    expect(await collected(ref)).toBe(true);
  });
});
