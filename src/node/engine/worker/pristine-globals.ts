/*
 * Two jobs, both started by the first line of the worker's setup file (setup.ts), which runs before
 * any check or learner module of each file:
 *
 * - Batches run many exercises in one worker (isolate:false), so built-ins one learner file rewrites
 *   at import (Array.prototype.includes, Promise.all, Object.is, JSON…) would reach the files after
 *   it. The first setup in a worker records the built-ins; every later file's setup puts them back
 *   before its exercise loads.
 * - A file whose code changes a built-in the checks rely on (`Object.is = () => true` makes every
 *   `toBe` pass) fails, every test saying which built-in changed: checked once the file's modules
 *   have loaded (the first `beforeAll`), and after each test (the last `afterEach`, after the check's
 *   own clean-up). The built-ins are put back at once so vitest itself reports truthfully.
 *
 * vitest re-evaluates this module for every file, so what must outlive a file sits on globalThis —
 * as a frozen object of functions whose records are private to their closure: learner code can
 * call them (to put the built-ins back, which is harmless) but cannot empty or forge the records.
 * The same first setup fills the harness's `pristine` slot (src/harness/pristine.ts), and the
 * harness registers its own classes here when it loads (src/harness/self-watch.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, chai, expect } from 'vitest';
import { changedBuiltins, describeChanges, restoreBuiltins, snapshotBuiltins, snapshotTargets, type BuiltinChange, type BuiltinsSnapshot, type ExtraTarget } from '../../../harness/builtins.js';
import { installPristine } from '../../../harness/pristine.js';
import { GUARD_SLOT } from '../../../harness/self-watch.js';

const ErrorCtor = Error;

interface WorkerGuard {
  /** Puts every recorded object back as it was. */
  restore(): void;
  /** What changed since the records were taken (putting it back), as the learner's message; undefined when nothing did. */
  look(): string | undefined;
  /** Adds a record to compare and restore (the harness's classes, taken when it loads). */
  register(snapshot: BuiltinsSnapshot): void;
}

/** What vitest's `expect` calls at run time through objects a learner's module can reach. */
function expectTargets(): ExtraTarget[] {
  const out: ExtraTarget[] = [{ name: 'expect', object: expect, additions: false }];
  const assertion = (chai as { Assertion?: { prototype?: object } }).Assertion?.prototype;
  if (assertion) out.push({ name: "expect's matchers (chai.Assertion.prototype)", object: assertion, additions: false });
  const util = (chai as { util?: object }).util;
  if (util) out.push({ name: 'chai.util', object: util });
  const jest = (globalThis as unknown as Record<symbol, { matchers?: object; customEqualityTesters?: object } | undefined>)[Symbol.for('$$jest-matchers-object')];
  if (jest?.matchers) out.push({ name: "expect's matchers", object: jest.matchers, additions: false });
  // A tester that calls everything equal makes every toEqual pass.
  if (jest?.customEqualityTesters) out.push({ name: "expect's equality testers", object: jest.customEqualityTesters });
  return out;
}

// What `toBe`/`toEqual` call while they decide: read again at every assertion, so a rewrite put back
// before the test ends (`Object.is = () => true` undone in a microtask) is still caught. ~150
// properties, tens of microseconds; the full record is compared after each test.
function hotTargets(): ExtraTarget[] {
  const it = (x: Iterable<unknown>) => Reflect.getPrototypeOf(x[Symbol.iterator]()) as object;
  const out: ExtraTarget[] = [
    { name: 'Object', object: Object },
    { name: 'Object.prototype', object: Object.prototype },
    { name: 'Array', object: Array },
    { name: 'Array.prototype', object: Array.prototype },
    { name: 'an array iterator', object: it([]) },
    { name: 'Function.prototype', object: Function.prototype },
    { name: 'Reflect', object: Reflect },
    { name: 'JSON', object: JSON },
    { name: 'Number', object: Number },
    { name: 'Map.prototype', object: Map.prototype },
    { name: 'Set.prototype', object: Set.prototype },
    { name: 'a Map iterator', object: it(new Map()) },
    { name: 'a Set iterator', object: it(new Set()) },
  ];
  const jest = (globalThis as unknown as Record<symbol, { customEqualityTesters?: object } | undefined>)[Symbol.for('$$jest-matchers-object')];
  if (jest?.customEqualityTesters) out.push({ name: "expect's equality testers", object: jest.customEqualityTesters });
  return out;
}

/** Makes every assertion first check the hot built-ins; installed before the records are taken. */
function checkAtEveryAssertion(onChange: (changes: BuiltinChange[]) => never): void {
  const proto = (chai as { Assertion?: { prototype?: { assert?: unknown } } }).Assertion?.prototype;
  const original = proto?.assert;
  if (proto === undefined || typeof original !== 'function') return;
  const hot = snapshotTargets(hotTargets());
  const apply = Reflect.apply;
  Object.defineProperty(proto, 'assert', {
    value: function assert(this: unknown, ...args: unknown[]) {
      const changes = changedBuiltins(hot);
      if (changes.length > 0) onChange(changes);
      return apply(original, this, args);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

function makeGuard(): WorkerGuard {
  const records: BuiltinsSnapshot[] = [];
  checkAtEveryAssertion((changes) => {
    restore();
    throw new ErrorCtor(describeChanges(changes));
  });
  records[0] = snapshotBuiltins(expectTargets());
  const restore = () => {
    for (let i = 0; i < records.length; i++) restoreBuiltins(records[i]!);
  };
  return Object.freeze({
    restore,
    look: () => {
      const changes: BuiltinChange[] = [];
      for (let i = 0; i < records.length; i++) {
        const found = changedBuiltins(records[i]!);
        for (let j = 0; j < found.length; j++) changes[changes.length] = found[j]!;
      }
      if (changes.length === 0) return undefined;
      restore();
      return describeChanges(changes);
    },
    register: (snapshot: BuiltinsSnapshot) => {
      records[records.length] = snapshot;
    },
  });
}

/** Called at the top of every file's setup, before its exercise is imported. */
export function keepGlobalsPristine(): void {
  const holder = globalThis as unknown as Record<symbol, WorkerGuard | undefined>;
  let guard = holder[GUARD_SLOT];
  if (guard === undefined) {
    installPristine();
    guard = makeGuard();
    Object.defineProperty(globalThis, GUARD_SLOT, { value: guard, enumerable: false, writable: false, configurable: false });
  } else {
    guard.restore();
  }
  watchForRewrites(guard);
}

function watchForRewrites(guard: WorkerGuard): void {
  let verdict: string | undefined;
  // Registered first, so it runs before the check's own beforeAll: the modules have loaded, no test has run.
  beforeAll(() => {
    verdict = guard.look();
  });
  beforeEach(() => {
    if (verdict !== undefined) throw new ErrorCtor(verdict);
  });
  // Registered first, so (hooks run as a stack) it runs after the check's own afterEach clean-up.
  afterEach(() => {
    if (verdict !== undefined) return;
    verdict = guard.look();
    if (verdict !== undefined) throw new ErrorCtor(verdict);
  });
  afterAll(() => {
    if (verdict !== undefined) return;
    const late = guard.look();
    if (late !== undefined) throw new ErrorCtor(late);
  });
}
