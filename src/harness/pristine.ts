/*
 * `pristine`: the built-ins checks rely on, as they were before any learner module loaded. A check
 * that asks `pristine.Object.is(a, b)` gets the real answer even if the learner's module did
 * `Object.is = () => true`, and `pristine.Array.includes(result, x)` ignores an `includes` the
 * learner put on the array they returned.
 *
 * Where the copies come from: the engine's setup file runs first in every test worker, before any
 * check or learner module, and writes them once into a frozen `Symbol.for` slot; this module, which
 * checks load as `async-lessons/harness` (a separate build), reads that slot. Outside the engine
 * (the harness's own tests) there is no slot and the harness captures at its own evaluation, which
 * is early enough only when it is imported before the learner's module.
 *
 * The copies still follow the spec, which looks some things up on the values they are given (a
 * promise's `then`, an array's `constructor` in `map`): the engine also fails any file whose code
 * changes a built-in (builtins.ts), so both holes are closed together.
 */
import { types } from 'node:util';

const apply = Reflect.apply;
const construct = Reflect.construct;
const freeze = Object.freeze;
const uncurry =
  <T, A extends unknown[], R>(fn: (this: T, ...args: A) => R) =>
  (self: T, ...args: A): R =>
    apply(fn, self, args);

/** The slot the engine's setup file fills; one per worker, never replaced. */
export const PRISTINE_SLOT: unique symbol = Symbol.for('async-lessons.pristine');

/** Array functions taking the array first, so an array's own (or its prototype's) methods are never consulted. */
export interface PristineArray {
  isArray(value: unknown): value is unknown[];
  /** A plain copy read by index: never runs the value's own iterator or methods. */
  copy<T>(items: ArrayLike<T>): T[];
  from<T>(items: Iterable<T> | ArrayLike<T>): T[];
  includes<T>(array: readonly T[], item: T, fromIndex?: number): boolean;
  indexOf<T>(array: readonly T[], item: T, fromIndex?: number): number;
  lastIndexOf<T>(array: readonly T[], item: T): number;
  map<T, U>(array: readonly T[], fn: (item: T, index: number) => U): U[];
  filter<T>(array: readonly T[], fn: (item: T, index: number) => boolean): T[];
  forEach<T>(array: readonly T[], fn: (item: T, index: number) => void): void;
  some<T>(array: readonly T[], fn: (item: T, index: number) => boolean): boolean;
  every<T>(array: readonly T[], fn: (item: T, index: number) => boolean): boolean;
  find<T>(array: readonly T[], fn: (item: T, index: number) => boolean): T | undefined;
  findIndex<T>(array: readonly T[], fn: (item: T, index: number) => boolean): number;
  reduce<T, U>(array: readonly T[], fn: (acc: U, item: T, index: number) => U, initial: U): U;
  slice<T>(array: readonly T[], start?: number, end?: number): T[];
  concat<T>(array: readonly T[], ...items: Array<T | readonly T[]>): T[];
  join(array: readonly unknown[], separator?: string): string;
  push<T>(array: T[], ...items: T[]): number;
  sort<T>(array: T[], compare?: (a: T, b: T) => number): T[];
}

/** Promise statics bound to the real constructor, and `then` taking the promise first. */
export interface PristinePromise {
  /** The real constructor: `new pristine.Promise.Promise(executor)`, or `x instanceof` it. */
  Promise: PromiseConstructor;
  resolve<T>(value: T): Promise<Awaited<T>>;
  reject(reason?: unknown): Promise<never>;
  all<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }>;
  allSettled<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [K in keyof T]: PromiseSettledResult<Awaited<T[K]>> }>;
  race<T extends readonly unknown[] | []>(values: T): Promise<Awaited<T[number]>>;
  any<T extends readonly unknown[] | []>(values: T): Promise<Awaited<T[number]>>;
  then<T, A = T, B = never>(promise: Promise<T>, onFulfilled?: (value: T) => A | PromiseLike<A>, onRejected?: (reason: unknown) => B | PromiseLike<B>): Promise<A | B>;
  /** A promise with its resolve and reject (Node 20 has no `Promise.withResolvers`). */
  deferred<T>(): { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };
}

/** Map operations taking the map first; `keys`/`values`/`entries` return arrays (no iterator involved). */
export interface PristineMap {
  create<K, V>(entries?: Iterable<readonly [K, V]>): Map<K, V>;
  get<K, V>(map: ReadonlyMap<K, V>, key: K): V | undefined;
  set<K, V>(map: Map<K, V>, key: K, value: V): Map<K, V>;
  has<K>(map: ReadonlyMap<K, unknown>, key: K): boolean;
  delete<K>(map: Map<K, unknown>, key: K): boolean;
  size(map: ReadonlyMap<unknown, unknown>): number;
  keys<K>(map: ReadonlyMap<K, unknown>): K[];
  values<V>(map: ReadonlyMap<unknown, V>): V[];
  entries<K, V>(map: ReadonlyMap<K, V>): Array<[K, V]>;
}

/** Set operations taking the set first; `values` returns an array. */
export interface PristineSet {
  create<T>(items?: Iterable<T>): Set<T>;
  add<T>(set: Set<T>, item: T): Set<T>;
  has<T>(set: ReadonlySet<T>, item: T): boolean;
  delete<T>(set: Set<T>, item: T): boolean;
  size(set: ReadonlySet<unknown>): number;
  values<T>(set: ReadonlySet<T>): T[];
}

/** The record `pristine` holds; every part is frozen. */
export interface Pristine {
  /** `Reflect.apply` as it was: `pristine.apply(fn, self, [args])` ignores a replaced `Function.prototype.call`. */
  apply: typeof Reflect.apply;
  /** `fn.call(self, ...args)`, without consulting `fn.call`. */
  call<T, A extends unknown[], R>(fn: (this: T, ...args: A) => R, self: T, ...args: A): R;
  Object: Readonly<Pick<ObjectConstructor, 'is' | 'isFrozen' | 'isSealed' | 'isExtensible' | 'keys' | 'values' | 'entries' | 'getOwnPropertyNames' | 'getOwnPropertySymbols' | 'getOwnPropertyDescriptor' | 'getOwnPropertyDescriptors' | 'getPrototypeOf' | 'hasOwn' | 'freeze' | 'create' | 'defineProperty' | 'assign' | 'fromEntries'>>;
  Reflect: Readonly<typeof Reflect>;
  JSON: Readonly<Pick<JSON, 'stringify' | 'parse'>>;
  Math: Readonly<Math>;
  Number: Readonly<Pick<NumberConstructor, 'isInteger' | 'isSafeInteger' | 'isFinite' | 'isNaN' | 'parseFloat' | 'parseInt' | 'MAX_SAFE_INTEGER' | 'MIN_SAFE_INTEGER' | 'EPSILON'>>;
  String: Readonly<{ of(value: unknown): string; includes(s: string, part: string): boolean; startsWith(s: string, part: string): boolean; endsWith(s: string, part: string): boolean; slice(s: string, start?: number, end?: number): string; split(s: string, separator: string): string[] }>;
  Array: Readonly<PristineArray>;
  Promise: Readonly<PristinePromise>;
  Map: Readonly<PristineMap>;
  Set: Readonly<PristineSet>;
  /** The real constructors, for `new` and `instanceof` (`instanceof` still asks `Symbol.hasInstance`, which the engine watches). */
  ctors: Readonly<{ WeakMap: WeakMapConstructor; WeakSet: WeakSetConstructor; WeakRef: WeakRefConstructor; FinalizationRegistry: FinalizationRegistryConstructor; Error: ErrorConstructor; TypeError: TypeErrorConstructor; Map: MapConstructor; Set: SetConstructor; Array: ArrayConstructor }>;
  /** Byte length of a typed array, DataView, ArrayBuffer or SharedArrayBuffer, read through the real getters (an own `byteLength` cannot lie). */
  byteLength(value: ArrayBufferView | ArrayBufferLike): number;
  /** The buffer under a typed array or DataView, through the real getter. */
  bufferOf(view: ArrayBufferView): ArrayBufferLike;
  /** `WeakRef.prototype.deref`, taking the ref first. */
  deref<T extends object>(ref: WeakRef<T>): T | undefined;
  /** Brand checks from `node:util` that no prototype or `Symbol.toStringTag` can fool. */
  types: Readonly<Pick<typeof types, 'isPromise' | 'isProxy' | 'isMap' | 'isSet' | 'isWeakMap' | 'isWeakSet' | 'isTypedArray' | 'isArrayBuffer' | 'isSharedArrayBuffer' | 'isDataView' | 'isAsyncFunction' | 'isGeneratorFunction' | 'isGeneratorObject' | 'isBoxedPrimitive' | 'isStringObject'>>;
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) {
    const v = from[k];
    out[k] = (typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(from) : v) as T[K];
  }
  return freeze(out);
}

/** Captures the record from the built-ins as they are now: call before any learner code runs. */
export function capturePristine(): Pristine {
  const A = Array.prototype;
  const P = Promise;
  const then = Promise.prototype.then;
  const mapForEach = Map.prototype.forEach;
  const setForEach = Set.prototype.forEach;
  const mapSize = Reflect.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
  const setSize = Reflect.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;
  const S = String.prototype;
  const StringCtor = String;
  const statics = <K extends 'resolve' | 'reject' | 'all' | 'allSettled' | 'race' | 'any'>(k: K) => {
    const fn = P[k] as (...args: unknown[]) => unknown;
    return (...args: unknown[]) => apply(fn, P, args);
  };
  const promise: PristinePromise = {
    Promise: P,
    resolve: statics('resolve') as PristinePromise['resolve'],
    reject: statics('reject') as PristinePromise['reject'],
    all: statics('all') as PristinePromise['all'],
    allSettled: statics('allSettled') as PristinePromise['allSettled'],
    race: statics('race') as PristinePromise['race'],
    any: statics('any') as PristinePromise['any'],
    then: ((p: Promise<unknown>, f?: unknown, r?: unknown) => apply(then, p, [f, r])) as PristinePromise['then'],
    deferred: <T>() => {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const p = construct(P, [(a: typeof resolve, b: typeof reject) => ((resolve = a), (reject = b))]) as Promise<T>;
      return { promise: p, resolve, reject };
    },
  };
  const collect = <T>(forEach: (this: unknown, cb: (...a: unknown[]) => void) => void, self: unknown, pickOut: (v: unknown, k: unknown) => T): T[] => {
    const out: T[] = [];
    apply(forEach, self, [(v: unknown, k: unknown) => void (out[out.length] = pickOut(v, k))]);
    return out;
  };
  const MapCtor = Map;
  const SetCtor = Set;
  const array: PristineArray = {
    isArray: Array.isArray,
    copy: <T>(items: ArrayLike<T>) => {
      const out: T[] = [];
      for (let i = 0; i < items.length; i++) out[i] = items[i]!;
      return out;
    },
    from: <T>(items: Iterable<T> | ArrayLike<T>) => apply(Array.from, Array, [items]) as T[],
    includes: uncurry(A.includes) as PristineArray['includes'],
    indexOf: uncurry(A.indexOf) as PristineArray['indexOf'],
    lastIndexOf: uncurry(A.lastIndexOf) as PristineArray['lastIndexOf'],
    map: uncurry(A.map) as PristineArray['map'],
    filter: uncurry(A.filter) as PristineArray['filter'],
    forEach: uncurry(A.forEach) as PristineArray['forEach'],
    some: uncurry(A.some) as PristineArray['some'],
    every: uncurry(A.every) as PristineArray['every'],
    find: uncurry(A.find) as PristineArray['find'],
    findIndex: uncurry(A.findIndex) as PristineArray['findIndex'],
    reduce: uncurry(A.reduce) as PristineArray['reduce'],
    slice: uncurry(A.slice) as PristineArray['slice'],
    concat: uncurry(A.concat) as PristineArray['concat'],
    join: uncurry(A.join) as PristineArray['join'],
    push: uncurry(A.push) as PristineArray['push'],
    sort: uncurry(A.sort) as PristineArray['sort'],
  };
  const map: PristineMap = {
    create: <K, V>(entries?: Iterable<readonly [K, V]>) => construct(MapCtor, entries === undefined ? [] : [entries]) as Map<K, V>,
    get: uncurry(Map.prototype.get) as PristineMap['get'],
    set: uncurry(Map.prototype.set) as PristineMap['set'],
    has: uncurry(Map.prototype.has) as PristineMap['has'],
    delete: uncurry(Map.prototype.delete) as PristineMap['delete'],
    size: (m) => apply(mapSize, m, []) as number,
    keys: <K>(m: ReadonlyMap<K, unknown>) => collect(mapForEach, m, (_v, k) => k as K),
    values: <V>(m: ReadonlyMap<unknown, V>) => collect(mapForEach, m, (v) => v as V),
    entries: <K, V>(m: ReadonlyMap<K, V>) => collect(mapForEach, m, (v, k) => freeze([k, v]) as unknown as [K, V]),
  };
  const set: PristineSet = {
    create: <T>(items?: Iterable<T>) => construct(SetCtor, items === undefined ? [] : [items]) as Set<T>,
    add: uncurry(Set.prototype.add) as PristineSet['add'],
    has: uncurry(Set.prototype.has) as PristineSet['has'],
    delete: uncurry(Set.prototype.delete) as PristineSet['delete'],
    size: (s) => apply(setSize, s, []) as number,
    values: <T>(s: ReadonlySet<T>) => collect(setForEach, s, (v) => v as T),
  };
  const deref = WeakRef.prototype.deref;
  const getter = (o: object, k: string) => Reflect.getOwnPropertyDescriptor(o, k)!.get!;
  const TA = (Reflect.getPrototypeOf(Uint8Array) as { prototype: object }).prototype;
  const lengths = { ta: getter(TA, 'byteLength'), dv: getter(DataView.prototype, 'byteLength'), ab: getter(ArrayBuffer.prototype, 'byteLength'), sab: getter(SharedArrayBuffer.prototype, 'byteLength') };
  const buffers = { ta: getter(TA, 'buffer'), dv: getter(DataView.prototype, 'buffer') };
  const { isTypedArray, isDataView, isArrayBuffer } = types;
  const record: Pristine = {
    apply,
    call: (fn, self, ...args) => apply(fn, self, args),
    Object: pick(Object, ['is', 'isFrozen', 'isSealed', 'isExtensible', 'keys', 'values', 'entries', 'getOwnPropertyNames', 'getOwnPropertySymbols', 'getOwnPropertyDescriptor', 'getOwnPropertyDescriptors', 'getPrototypeOf', 'hasOwn', 'freeze', 'create', 'defineProperty', 'assign', 'fromEntries']),
    Reflect: pick(Reflect, ['apply', 'construct', 'defineProperty', 'deleteProperty', 'get', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'has', 'isExtensible', 'ownKeys', 'preventExtensions', 'set', 'setPrototypeOf']) as typeof Reflect,
    JSON: pick(JSON, ['stringify', 'parse']),
    Math: pick(Math, Reflect.ownKeys(Math).filter((k): k is keyof Math => typeof k === 'string')) as Math,
    Number: pick(Number, ['isInteger', 'isSafeInteger', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'EPSILON']),
    String: freeze({
      of: (value: unknown) => StringCtor(value),
      includes: uncurry(S.includes) as (s: string, part: string) => boolean,
      startsWith: uncurry(S.startsWith) as (s: string, part: string) => boolean,
      endsWith: uncurry(S.endsWith) as (s: string, part: string) => boolean,
      slice: uncurry(S.slice),
      split: ((s: string, separator: string) => apply(S.split, s, [separator])) as (s: string, separator: string) => string[],
    }),
    Array: freeze(array),
    Promise: freeze(promise),
    Map: freeze(map),
    Set: freeze(set),
    ctors: freeze({ WeakMap, WeakSet, WeakRef, FinalizationRegistry, Error, TypeError, Map, Set, Array }),
    deref: uncurry(deref) as Pristine['deref'],
    byteLength: (v) => apply(isTypedArray(v) ? lengths.ta : isDataView(v) ? lengths.dv : isArrayBuffer(v) ? lengths.ab : lengths.sab, v, []) as number,
    bufferOf: (v) => apply(isTypedArray(v) ? buffers.ta : buffers.dv, v, []) as ArrayBufferLike,
    types: pick(types, ['isPromise', 'isProxy', 'isMap', 'isSet', 'isWeakMap', 'isWeakSet', 'isTypedArray', 'isArrayBuffer', 'isSharedArrayBuffer', 'isDataView', 'isAsyncFunction', 'isGeneratorFunction', 'isGeneratorObject', 'isBoxedPrimitive', 'isStringObject']),
  };
  return freeze(record);
}

/** Writes the record into the worker's slot, once; later calls keep the first. */
export function installPristine(): Pristine {
  const holder = globalThis as unknown as Record<symbol, Pristine | undefined>;
  const existing = holder[PRISTINE_SLOT];
  if (existing !== undefined) return existing;
  const record = capturePristine();
  Object.defineProperty(globalThis, PRISTINE_SLOT, { value: record, enumerable: false, writable: false, configurable: false });
  return record;
}

/**
 * The built-ins checks rely on, as they were before any learner module loaded (see the top of this
 * file). Use them where a learner's module could have changed what a check calls:
 * `expect(pristine.Object.isFrozen(state)).toBe(true)`, `pristine.Array.includes(trace, 'b')`,
 * `await pristine.Promise.all(jobs)`, `pristine.JSON.stringify(value)`.
 */
export const pristine: Pristine = installPristine();
