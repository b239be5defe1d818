/*
 * What a value keeps alive, for checks like "the paused future holds no large buffer".
 *
 * The walk sees own properties of every kind (non-enumerable, symbol-keyed), the prototype chain up
 * to the built-in prototypes (state parked on a class or its prototype), Map and Set contents, and
 * the buffer behind every typed array or DataView (a small view keeps its whole buffer alive). It
 * uses the pristine built-ins, so the learner's code cannot change what it reports.
 *
 * What no walk can see, and what to do instead:
 * - closures: a function's captured variables are not reachable from JS; functions are listed in
 *   `functions` so a check can forbid them, or use `retainedAfter`, which asks the GC;
 * - getters: by default a getter is listed in `accessors`, not called (calling runs learner code,
 *   which can return anything and see that it is being inspected); `{ getters: 'call' }` calls it;
 * - `#private` fields, WeakMap values and module-level variables: ban them (`banned(file,
 *   ['private', 'WeakMap'])`) or use `retainedAfter`;
 * - Proxies and promises: listed in `opaque` (a Proxy's target is reachable only through its traps;
 *   a promise's result is internal);
 * - a short slice of a long string may keep the long one alive inside V8; only a heap snapshot shows it.
 */
import { pristine } from './pristine.js';

const P = pristine;
const stringValueOf = String.prototype.valueOf;

/** How far and how closely `reachable` looks. */
export interface ReachOptions {
  /** Objects deeper than this many steps from the root are not walked (default 64); `truncated` says so. */
  maxDepth?: number;
  /** Stop after this many objects (default 200 000); `truncated` says so. */
  maxObjects?: number;
  /** Binary data (typed array, DataView, buffer) of at least this many bytes is large (default 1 MB, 1e6). */
  bigBytes?: number;
  /** A string of at least this many characters is large (default 100 000). */
  bigString?: number;
  /** An array of at least this many items is large (default 10 000); its items are not walked. */
  bigArray?: number;
  /** `'skip'` (default) lists getters in `accessors`; `'call'` calls them and walks the result. */
  getters?: 'skip' | 'call';
  /** The name the root is given in paths (default `'root'`). */
  name?: string;
}

/** What `reachable` found; every entry is a path from the root, e.g. `future.state.buf`. */
export interface Reach {
  /** Large data, each with what it is: `future.buf (a Uint8Array over a 1048576-byte buffer)`. */
  big: string[];
  /** Function values (not methods reached through a prototype): their closures may hold more, which no walk can see. */
  functions: string[];
  /** Getters and setters that were not called. */
  accessors: string[];
  /** Values whose contents cannot be walked: Proxies, promises, WeakMaps, WeakSets. */
  opaque: string[];
  /** Bytes of distinct buffers plus characters of strings reached: a total for "holds little". */
  bytes: number;
  /** Objects walked. */
  objects: number;
  /** True when `maxDepth` or `maxObjects` cut the walk short. */
  truncated: boolean;
}

/** A built-in prototype: the walk stops there (they belong to everyone, not to the value). */
const INTRINSIC: object[] = [];
for (const c of [Object, Function, Array, Map, Set, WeakMap, WeakSet, Promise, Error, RegExp, Date, ArrayBuffer, DataView, String, Number, Boolean, Symbol, BigInt]) INTRINSIC.push(c.prototype);
INTRINSIC.push((P.Reflect.getPrototypeOf(Uint8Array) as { prototype: object }).prototype);
INTRINSIC.push(P.Reflect.getPrototypeOf(function* () {}) as object, P.Reflect.getPrototypeOf(async function () {}) as object);

const keyText = (k: string | symbol) => (typeof k === 'symbol' ? `[${P.String.of(k)}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${P.JSON.stringify(k)}]`);

/**
 * Walks everything reachable from `root` and reports large data, functions, unread accessors and
 * opaque values, each by path. `expect(reachable(fut, { name: 'future' }).big).toEqual([])`.
 */
export function reachable(root: unknown, options: ReachOptions = {}): Reach {
  const maxDepth = options.maxDepth ?? 64;
  const maxObjects = options.maxObjects ?? 200_000;
  const bigBytes = options.bigBytes ?? 1e6;
  const bigString = options.bigString ?? 100_000;
  const bigArray = options.bigArray ?? 10_000;
  const out: Reach = { big: [], functions: [], accessors: [], opaque: [], bytes: 0, objects: 0, truncated: false };
  const seen = P.Set.create<unknown>();
  const push = (list: string[], s: string) => void P.Array.push(list, s);
  const visit = (v: unknown, path: string, depth: number, shared = false): void => {
    if (typeof v === 'string') {
      out.bytes += v.length;
      if (v.length >= bigString) push(out.big, `${path} (a string of ${v.length} characters)`);
      return;
    }
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || P.Set.has(seen, v)) return;
    if (depth > maxDepth || out.objects >= maxObjects) {
      out.truncated = true;
      return;
    }
    P.Set.add(seen, v);
    out.objects += 1;
    const t = P.types;
    if (t.isProxy(v)) return push(out.opaque, `${path} (a Proxy: its target is reachable only through its traps)`);
    if (typeof v === 'function' && !shared) push(out.functions, path);
    if (t.isTypedArray(v) || t.isDataView(v)) return binary(v, path, true);
    if (t.isArrayBuffer(v) || t.isSharedArrayBuffer(v)) return binary(v, path, false);
    if (t.isPromise(v)) push(out.opaque, `${path} (a promise: its result cannot be read)`);
    if (t.isWeakMap(v) || t.isWeakSet(v)) push(out.opaque, `${path} (a ${t.isWeakMap(v) ? 'WeakMap' : 'WeakSet'}: its contents cannot be listed)`);
    if (t.isStringObject(v)) return visit(P.apply(stringValueOf, v, []), `${path}.valueOf()`, depth + 1, shared);
    if (t.isBoxedPrimitive(v)) return;
    if (t.isMap(v)) {
      const entries = P.Map.entries(v as Map<unknown, unknown>);
      for (let i = 0; i < entries.length; i++) {
        visit(entries[i]![0], `${path}.<key ${i}>`, depth + 1, shared);
        visit(entries[i]![1], `${path}.get(${describeKey(entries[i]![0])})`, depth + 1, shared);
      }
    } else if (t.isSet(v)) {
      const items = P.Set.values(v as Set<unknown>);
      for (let i = 0; i < items.length; i++) visit(items[i], `${path}.<item ${i}>`, depth + 1, shared);
    }
    if (P.Array.isArray(v) && v.length >= bigArray) {
      push(out.big, `${path} (an array of ${v.length} items)`);
      return;
    }
    const keys = P.Reflect.ownKeys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const d = P.Reflect.getOwnPropertyDescriptor(v, k)!;
      const at = `${path}${keyText(k)}`;
      if ('value' in d) {
        visit(d.value, at, depth + 1, shared);
      } else if (options.getters === 'call' && d.get !== undefined) {
        let got: unknown;
        try {
          got = P.apply(d.get, v, []);
        } catch {
          push(out.accessors, `${at} (its getter threw)`);
          continue;
        }
        visit(got, at, depth + 1, shared);
      } else {
        if (!shared) push(out.accessors, at);
        // The accessor functions themselves may carry properties; their closures stay out of sight.
        if (d.get !== undefined) visit(d.get, `${at}<get>`, depth + 1, shared);
        if (d.set !== undefined) visit(d.set, `${at}<set>`, depth + 1, shared);
      }
    }
    const proto = P.Reflect.getPrototypeOf(v);
    // Methods on a prototype are shared code, not this value's state: not listed as functions.
    if (proto !== null && !P.Array.includes(INTRINSIC, proto)) visit(proto, `${path}.<prototype>`, depth + 1, true);
  };
  const binary = (v: ArrayBufferView | ArrayBufferLike, path: string, view: boolean): void => {
    const own = P.byteLength(v);
    const buffer = view ? P.bufferOf(v as ArrayBufferView) : (v as ArrayBufferLike);
    const total = P.byteLength(buffer);
    if (view && !P.Set.has(seen, buffer)) P.Set.add(seen, buffer);
    else if (view) return;
    out.bytes += total;
    if (total < bigBytes) return;
    const kind = P.types.isSharedArrayBuffer(buffer) ? 'SharedArrayBuffer' : 'ArrayBuffer';
    push(out.big, view ? `${path} (a ${ctorName(v)} of ${own} bytes over a ${total}-byte ${kind})` : `${path} (a ${total}-byte ${kind})`);
  };
  visit(root, options.name ?? 'root', 0);
  return out;
}

function ctorName(v: object): string {
  if (P.types.isDataView(v)) return 'DataView';
  const tag = P.Reflect.get(v, Symbol.toStringTag) as unknown;
  return typeof tag === 'string' ? tag : 'typed array';
}

function describeKey(k: unknown): string {
  if (typeof k === 'string') return P.JSON.stringify(k.length > 20 ? `${P.String.slice(k, 0, 20)}…` : k);
  if (typeof k === 'object' || typeof k === 'function') return k === null ? 'null' : '<object>';
  return P.String.of(k);
}

/**
 * The first path by which `root` keeps `target` alive, or undefined. A buffer counts as kept by any
 * view over it. Sees what `reachable` sees (not closures, `#private` fields or module variables;
 * for those, `retainedAfter`). `expect(keepsAlive(fut, input.raw.buffer, { name: 'future' })).toBeUndefined()`.
 */
export function keepsAlive(root: unknown, target: object, options: Omit<ReachOptions, 'bigBytes' | 'bigString' | 'bigArray'> = {}): string | undefined {
  // A walk where only `target` (or a view over it) counts as big: reuse the walker, read the path.
  let found: string | undefined;
  const maxDepth = options.maxDepth ?? 64;
  const seen = P.Set.create<unknown>();
  const visit = (v: unknown, path: string, depth: number): void => {
    if (found !== undefined || (typeof v !== 'object' && typeof v !== 'function') || v === null || P.Set.has(seen, v) || depth > maxDepth) return;
    P.Set.add(seen, v);
    if (v === target) {
      found = path;
      return;
    }
    const t = P.types;
    if (t.isProxy(v)) return;
    if (t.isTypedArray(v) || t.isDataView(v)) {
      if (P.bufferOf(v as ArrayBufferView) === target) found = `${path}.buffer`;
      return;
    }
    if (t.isMap(v)) {
      const entries = P.Map.entries(v as Map<unknown, unknown>);
      for (let i = 0; i < entries.length; i++) {
        visit(entries[i]![0], `${path}.<key ${i}>`, depth + 1);
        visit(entries[i]![1], `${path}.get(${describeKey(entries[i]![0])})`, depth + 1);
      }
    } else if (t.isSet(v)) {
      const items = P.Set.values(v as Set<unknown>);
      for (let i = 0; i < items.length; i++) visit(items[i], `${path}.<item ${i}>`, depth + 1);
    }
    if (t.isArrayBuffer(v) || t.isSharedArrayBuffer(v)) return;
    const keys = P.Reflect.ownKeys(v);
    for (let i = 0; i < keys.length && found === undefined; i++) {
      const d = P.Reflect.getOwnPropertyDescriptor(v, keys[i]!)!;
      const at = `${path}${keyText(keys[i]!)}`;
      if ('value' in d) visit(d.value, at, depth + 1);
      else if (options.getters === 'call' && d.get !== undefined) {
        try {
          visit(P.apply(d.get, v, []), at, depth + 1);
        } catch {
          // a throwing getter keeps nothing we can see
        }
      }
    }
    const proto = P.Reflect.getPrototypeOf(v);
    if (proto !== null && !P.Array.includes(INTRINSIC, proto)) visit(proto, `${path}.<prototype>`, depth + 1);
  };
  visit(root, options.name ?? 'root', 0);
  return found;
}
