/*
 * A record of the built-ins as they were before any learner code ran, to put them back (batches
 * share a worker between exercises) and to tell which ones a learner's module changed (a module
 * that sets `Object.is = () => true` makes every `toBe` pass, so its checks cannot be trusted).
 *
 * Two circles: everything recorded is put back between files; only the *watched* part is what
 * checks and vitest's `expect` rely on, and a change there fails the file. Timers, `Date` and
 * `performance` are recorded but not watched: vitest's fake timers replace them on purpose.
 *
 * The comparison itself runs after learner code, so it uses only functions captured here and
 * indexed loops: no iterator, array method or `Map` a learner could have replaced.
 */
const apply = Reflect.apply;
const ownKeys = Reflect.ownKeys;
const describe = Reflect.getOwnPropertyDescriptor;
const define = Reflect.defineProperty;
const remove = Reflect.deleteProperty;
const protoOf = Reflect.getPrototypeOf;
const setProto = Reflect.setPrototypeOf;
const isExtensible = Reflect.isExtensible;
const is = Object.is;
const symbolDescription = describe(Symbol.prototype, 'description')!.get!;
const startsWith = String.prototype.startsWith;

/** What checks and `expect` rely on: a change to any of these fails the file. */
const WATCHED = [
  'Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON', 'Reflect',
  'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Error', 'TypeError',
  'RangeError', 'SyntaxError', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Uint8Array', 'Uint16Array',
  'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
  'BigUint64Array', 'Uint8ClampedArray', 'Proxy', 'RegExp', 'Atomics',
];
/** Put back between files, not watched. */
const RESTORED = [
  'Date', 'Intl', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate',
  'queueMicrotask', 'structuredClone', 'AbortController', 'AbortSignal', 'EventTarget', 'Event', 'URL',
  'TextEncoder', 'TextDecoder',
];
// Set by vitest itself around its own calls (console, stack traces), or by Node's source maps.
const IGNORED: ReadonlyArray<string | symbol> = ['stackTraceLimit', 'prepareStackTrace'];

interface Entry {
  name: string;
  object: object;
  watched: boolean;
  /** On globalThis only the built-ins' own bindings count: other globals are the learner's or vitest's. */
  only: Array<string | symbol> | undefined;
  /** Added keys are reported and removed (false where vitest or checks add legitimately, e.g. expect.extend). */
  additions: boolean;
  proto: object | null;
  extensible: boolean;
  keys: Array<string | symbol>;
  descriptors: PropertyDescriptor[];
}

/** A recorded state of the built-ins; see `snapshotBuiltins`. */
export interface BuiltinsSnapshot {
  readonly entries: readonly Entry[];
}

/** One change a learner's code made to a watched built-in. */
export interface BuiltinChange {
  /** What changed, as code: `Object.is`, `Array.prototype[Symbol.iterator]`, `JSON`. */
  name: string;
  kind: 'replaced' | 'deleted' | 'added' | 'reshaped';
}

/** Something beyond the built-ins to watch, e.g. vitest's `chai.Assertion.prototype`. */
export interface ExtraTarget {
  name: string;
  object: object;
  /** Whether a new key counts as a change (default true). */
  additions?: boolean;
}

function includes<T>(list: readonly T[], key: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === key) return true;
  return false;
}

function targets(extra: readonly ExtraTarget[]): Array<Omit<Entry, 'proto' | 'extensible' | 'keys' | 'descriptors'>> {
  const g = globalThis as unknown as Record<string, unknown>;
  const out: Array<Omit<Entry, 'proto' | 'extensible' | 'keys' | 'descriptors'>> = [];
  const seen: object[] = [];
  const add = (name: string, object: unknown, watched: boolean, additions = true): void => {
    if ((typeof object !== 'object' && typeof object !== 'function') || object === null || includes(seen, object)) return;
    seen[seen.length] = object;
    out[out.length] = { name, object, watched, only: undefined, additions };
  };
  out[out.length] = { name: 'globalThis', object: globalThis, watched: true, only: [...WATCHED], additions: false };
  out[out.length] = { name: 'globalThis', object: globalThis, watched: false, only: [...RESTORED], additions: false };
  for (const [names, watched] of [[WATCHED, true], [RESTORED, false]] as const) {
    for (const name of names) {
      add(name, g[name], watched);
      const proto = (g[name] as { prototype?: unknown } | undefined)?.prototype;
      add(`${name}.prototype`, proto, watched);
    }
  }
  // Reached only through values, and used by every spread, for…of and destructuring in a check.
  const typedArray = protoOf(Uint8Array) as { prototype: object };
  add('TypedArray', typedArray, true);
  add('TypedArray.prototype', typedArray.prototype, true);
  add('Iterator.prototype', protoOf(protoOf([][Symbol.iterator]())!), true);
  add('an array iterator', protoOf([][Symbol.iterator]()), true);
  add('a Map iterator', protoOf(new Map()[Symbol.iterator]()), true);
  add('a Set iterator', protoOf(new Set()[Symbol.iterator]()), true);
  add('a string iterator', protoOf(''[Symbol.iterator]()), true);
  const generator = protoOf(function* () {}) as { prototype: object };
  add('Generator.prototype', generator.prototype, true);
  const asyncGenerator = protoOf(async function* () {}) as { prototype: object };
  add('AsyncGenerator.prototype', asyncGenerator.prototype, true);
  add('AsyncIterator.prototype', protoOf(asyncGenerator.prototype), true);
  for (const t of extra) add(t.name, t.object, true, t.additions ?? true);
  return out;
}

function record(e: Omit<Entry, 'proto' | 'extensible' | 'keys' | 'descriptors'>): Entry {
  const all = ownKeys(e.object);
  const keys: Array<string | symbol> = [];
  const descriptors: PropertyDescriptor[] = [];
  for (let i = 0; i < all.length; i++) {
    const k = all[i]!;
    if (e.only !== undefined && !includes(e.only, k)) continue;
    keys[keys.length] = k;
    descriptors[descriptors.length] = describe(e.object, k)!;
  }
  return { ...e, proto: protoOf(e.object), extensible: isExtensible(e.object), keys, descriptors };
}

/** Records only `list` as it is now (e.g. the harness's own classes, at the harness's evaluation). */
export function snapshotTargets(list: readonly ExtraTarget[]): BuiltinsSnapshot {
  const entries: Entry[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    entries[i] = record({ name: t.name, object: t.object, watched: true, only: undefined, additions: t.additions ?? true });
  }
  return { entries };
}

/** Records the built-ins (and `extra`) as they are now. Call it before any learner code runs. */
export function snapshotBuiltins(extra: readonly ExtraTarget[] = []): BuiltinsSnapshot {
  const list = targets(extra);
  const entries: Entry[] = [];
  for (let i = 0; i < list.length; i++) entries[i] = record(list[i]!);
  return { entries };
}

const same = (a: PropertyDescriptor | undefined, b: PropertyDescriptor) =>
  a !== undefined && is(a.value, b.value) && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;

/** Same value or accessors, other attributes (frozen, made non-enumerable…). */
const holdsSame = (a: PropertyDescriptor, b: PropertyDescriptor) => is(a.value, b.value) && a.get === b.get && a.set === b.set;

function keyName(owner: string, key: string | symbol): string {
  if (typeof key === 'symbol') {
    const d = apply(symbolDescription, key, []) as string | undefined;
    const known = d !== undefined && apply(startsWith, d, ['Symbol.']) ? d : `Symbol(${d ?? ''})`;
    return `${owner}[${known}]`;
  }
  return owner === 'globalThis' ? key : `${owner}.${key}`;
}

/** Every change to a watched built-in since `snapshot`, in a stable order. */
export function changedBuiltins(snapshot: BuiltinsSnapshot): BuiltinChange[] {
  const out: BuiltinChange[] = [];
  const push = (name: string, kind: BuiltinChange['kind']) => {
    out[out.length] = { name, kind };
  };
  for (let i = 0; i < snapshot.entries.length; i++) {
    const e = snapshot.entries[i]!;
    if (!e.watched) continue;
    for (let j = 0; j < e.keys.length; j++) {
      const k = e.keys[j]!;
      if (includes(IGNORED, k)) continue;
      const now = describe(e.object, k);
      if (now === undefined) push(keyName(e.name, k), 'deleted');
      else if (!same(now, e.descriptors[j]!)) push(keyName(e.name, k), holdsSame(now, e.descriptors[j]!) ? 'reshaped' : 'replaced');
    }
    if (e.additions && e.only === undefined) {
      const live = ownKeys(e.object);
      for (let j = 0; j < live.length; j++) if (!includes(e.keys, live[j]!)) push(keyName(e.name, live[j]!), 'added');
    }
    if (protoOf(e.object) !== e.proto || isExtensible(e.object) !== e.extensible) push(e.name, 'reshaped');
  }
  return out;
}

/** Puts everything recorded back as it was; what cannot be put back (frozen since) is left. */
export function restoreBuiltins(snapshot: BuiltinsSnapshot): void {
  for (let i = 0; i < snapshot.entries.length; i++) {
    const e = snapshot.entries[i]!;
    if (e.only === undefined && e.additions) {
      const live = ownKeys(e.object);
      for (let j = 0; j < live.length; j++) if (!includes(e.keys, live[j]!)) remove(e.object, live[j]!);
    }
    for (let j = 0; j < e.keys.length; j++) {
      const k = e.keys[j]!;
      if (!same(describe(e.object, k), e.descriptors[j]!)) define(e.object, k, e.descriptors[j]!);
    }
    if (protoOf(e.object) !== e.proto) setProto(e.object, e.proto);
  }
}

/** The learner-facing sentence for a list of changes. */
export function describeChanges(changes: readonly BuiltinChange[]): string {
  const verb = { replaced: 'replaced', deleted: 'deleted', added: 'added', reshaped: 'changed the shape of' } as const;
  let list = '';
  const shown = changes.length > 6 ? 6 : changes.length;
  for (let i = 0; i < shown; i++) list += `${i === 0 ? '' : ', '}${verb[changes[i]!.kind]} ${changes[i]!.name}`;
  if (changes.length > shown) list += ` and ${changes.length - shown} more`;
  const one = changes.length === 1 ? 'the real one' : 'the real ones';
  return `your code ${list}; the checks rely on ${one}, so this file cannot pass — remove the code that changes built-ins`;
}
