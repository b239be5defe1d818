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
 * The same first setup fills the harness's `pristine` slot (src/harness/pristine.ts), so checks
 * can use the real built-ins whatever the learner's module did.
 */
import { afterAll, afterEach, beforeAll, beforeEach, chai, expect } from 'vitest';
import { changedBuiltins, describeChanges, restoreBuiltins, snapshotBuiltins, type BuiltinsSnapshot, type ExtraTarget } from '../../harness/builtins.js';
import { installPristine } from '../../harness/pristine.js';

const KEY = Symbol.for('async-lessons.pristine-globals');
const ErrorCtor = Error;

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

/** Called at the top of every file's setup, before its exercise is imported. */
export function keepGlobalsPristine(): void {
  const holder = globalThis as unknown as Record<symbol, BuiltinsSnapshot | undefined>;
  let snapshot = holder[KEY];
  if (snapshot === undefined) {
    installPristine();
    snapshot = snapshotBuiltins(expectTargets());
    Object.defineProperty(globalThis, KEY, { value: snapshot, enumerable: false });
  } else {
    restoreBuiltins(snapshot);
  }
  watchForRewrites(snapshot);
}

function watchForRewrites(snapshot: BuiltinsSnapshot): void {
  let verdict: string | undefined;
  const look = (): string | undefined => {
    const changes = changedBuiltins(snapshot);
    if (changes.length === 0) return undefined;
    restoreBuiltins(snapshot);
    return describeChanges(changes);
  };
  // Registered first, so it runs before the check's own beforeAll: the modules have loaded, no test has run.
  beforeAll(() => {
    verdict = look();
  });
  beforeEach(() => {
    if (verdict !== undefined) throw new ErrorCtor(verdict);
  });
  // Registered first, so (hooks run as a stack) it runs after the check's own afterEach clean-up.
  afterEach(() => {
    if (verdict !== undefined) return;
    verdict = look();
    if (verdict !== undefined) throw new ErrorCtor(verdict);
  });
  afterAll(() => {
    if (verdict !== undefined) return;
    const late = look();
    if (late !== undefined) throw new ErrorCtor(late);
  });
}
