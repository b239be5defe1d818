// Type checks for boxed_trait_objects: compiled together with your file, never run.
//
// How to read a failure here:
// - an `expectTypeOf(...)` line that fails starts with one line saying what
//   was expected and what your code's type is, e.g.
//   "expectTypeOf(boxed(cached).get('k')): expected exactly
//   `BoxFuture<string>`, found `CachedGet`". The lines
//   after it are TypeScript's own message about expectTypeOf's internals
//   ("does not satisfy the constraint", "Expected 1 arguments"): skip them.
// - "this line should fail to type-check with TSnnnn, but it compiles" means
//   your types accept what the comment on that line says they must refuse.
import { expectTypeOf } from 'vitest';
import type { Future } from '../_lib/future';
import { Executor, type BoxFuture, type Local, type LocalBoxFuture } from '../_lib/runtime';
import { boxed, boxedLocal, type DynStore, type LocalDynStore, type Store } from './boxed_trait_objects';

// Three kinds of store future: two plain ones, and two that keep a Local in their state.
interface CachedGet extends Future<string> {
  readonly key: string;
  readonly hit: boolean;
}
interface RemoteGet extends Future<string> {
  readonly attempt: number;
  readonly deadline: number;
}
interface SessionGet extends Future<string> {
  readonly session: Local<{ user: string }>;
}
interface DeepGet extends Future<string> {
  readonly state: { readonly inner: { readonly sub: Local<number> } };
}
declare const cached: Store<CachedGet>;
declare const remote: Store<RemoteGet>;
declare const withSession: Store<SessionGet>;
declare const deep: Store<DeepGet>;

const rt = new Executor();

// Stores of different kinds fit in one list once boxed...
const stores: DynStore[] = [boxed(cached), boxed(remote)];
expectTypeOf(boxed(cached).get('k')).toEqualTypeOf<BoxFuture<string>>();
// ...and their futures are Send, so spawn takes them.
rt.spawn(boxed(remote).get('k'));

// @ts-expect-error TS2345 a store whose future holds a Local is not Send: boxed() must refuse it
boxed(withSession);
// @ts-expect-error TS2345 however deep the Local sits in the future's state
boxed(deep);

// boxedLocal takes any store; its futures are LocalBoxFutures...
const locals: LocalDynStore[] = [boxedLocal(withSession), boxedLocal(deep), boxedLocal(cached)];
expectTypeOf(boxedLocal(withSession).get('k')).toEqualTypeOf<LocalBoxFuture<string>>();
rt.spawnLocal(boxedLocal(withSession).get('k'));
// @ts-expect-error TS2345 ...which spawn refuses: they may hold a Local
rt.spawn(boxedLocal(cached).get('k'));

void stores;
void locals;
