/*
 * The harness's own classes and shared objects are as much "what checks rely on" as the built-ins:
 * a module that replaced `TestExecutor.prototype.runUntilStalled` would judge itself. They are
 * recorded when the harness module is evaluated — before any module that imports it, so before any
 * learner code that could reach them — and handed to the engine's guard (pristine-globals.ts),
 * which fails a file that changed them exactly as for a built-in. Outside the engine there is no
 * guard and nothing is recorded.
 */
import { snapshotTargets, type BuiltinsSnapshot, type ExtraTarget } from './builtins.js';

/** The guard the engine's setup file installs on globalThis; calls only, its state is private. */
export const GUARD_SLOT: unique symbol = Symbol.for('async-lessons.pristine-globals');

/** What the guard offers to the harness. */
export interface Guard {
  register(snapshot: BuiltinsSnapshot): void;
}

/** Records `targets` now and asks the engine's guard, when there is one, to watch them. */
export function watchHarnessObjects(targets: readonly ExtraTarget[]): void {
  const guard = (globalThis as unknown as Record<symbol, Partial<Guard> | undefined>)[GUARD_SLOT];
  if (typeof guard?.register === 'function') guard.register(snapshotTargets(targets));
}

/** Each class and its prototype, as targets. */
export function classTargets(classes: Record<string, { prototype: object }>): ExtraTarget[] {
  const out: ExtraTarget[] = [];
  for (const [name, c] of Object.entries(classes)) out.push({ name, object: c }, { name: `${name}.prototype`, object: c.prototype });
  return out;
}
