/*
 * Batches run many exercises in one worker (isolate:false), so built-ins one learner file rewrites
 * at import (Array.prototype.includes, Promise.all, Object.is, JSON…) would reach the files after
 * it. The first setup in a worker records the built-ins; every later file's setup puts them back
 * before its exercise loads. A file can still rewrite built-ins for itself: the threat model is
 * accidents and casual cheating, and grading scans for that separately.
 */
const KEY = Symbol.for('async-lessons.pristine-globals');

const NAMES = [
  'Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON', 'Reflect',
  'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError',
  'SyntaxError', 'ArrayBuffer', 'Uint8Array', 'Int32Array', 'Float64Array', 'Proxy', 'Intl',
  'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask',
  'structuredClone', 'AbortController', 'AbortSignal', 'EventTarget', 'Event', 'URL', 'TextEncoder', 'TextDecoder',
] as const;
// On globalThis only the bindings of those built-ins are put back: vitest installs a console and
// other globals per file, and a learner's own global is harmless to the next file.
const GLOBAL_KEYS = new Set<PropertyKey>(NAMES);

interface Snapshot {
  entries: Array<{ target: object; descriptors: Map<PropertyKey, PropertyDescriptor> }>;
  // Kept from before any learner code ran: a polluter may have replaced the live ones.
  ownKeys: typeof Reflect.ownKeys;
  describe: typeof Object.getOwnPropertyDescriptor;
  define: typeof Object.defineProperty;
  remove: typeof Reflect.deleteProperty;
}

function targets(): object[] {
  const g = globalThis as unknown as Record<string, unknown>;
  const out: object[] = [globalThis];
  for (const name of NAMES) {
    const value = g[name];
    if ((typeof value === 'object' || typeof value === 'function') && value !== null) {
      out.push(value);
      const proto = (value as { prototype?: unknown }).prototype;
      if (typeof proto === 'object' && proto !== null) out.push(proto);
    }
  }
  return out;
}

function take(): Snapshot {
  const keysOf = (target: object) => (target === globalThis ? Reflect.ownKeys(target).filter((k) => GLOBAL_KEYS.has(k)) : Reflect.ownKeys(target));
  return {
    entries: targets().map((target) => ({ target, descriptors: new Map(keysOf(target).map((k) => [k, Object.getOwnPropertyDescriptor(target, k)!])) })),
    ownKeys: Reflect.ownKeys,
    describe: Object.getOwnPropertyDescriptor,
    define: Object.defineProperty,
    remove: Reflect.deleteProperty,
  };
}

const same = (a: PropertyDescriptor, b: PropertyDescriptor) =>
  a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;

function restore(s: Snapshot): void {
  for (const { target, descriptors } of s.entries) {
    for (const key of target === globalThis ? [] : s.ownKeys(target)) {
      if (descriptors.has(key)) continue;
      try {
        s.remove(target, key);
      } catch {
        // not configurable: nothing to do
      }
    }
    for (const [key, original] of descriptors) {
      const now = s.describe(target, key);
      if (now && same(now, original)) continue;
      try {
        s.define(target, key, original);
      } catch {
        // frozen or not configurable: it could not have been changed either
      }
    }
  }
}

/** Called at the top of every file's setup, before its exercise is imported. */
export function keepGlobalsPristine(): void {
  const holder = globalThis as unknown as Record<symbol, Snapshot | undefined>;
  const snapshot = holder[KEY];
  if (snapshot === undefined) {
    Object.defineProperty(globalThis, KEY, { value: take(), enumerable: false });
  } else {
    restore(snapshot);
  }
}
