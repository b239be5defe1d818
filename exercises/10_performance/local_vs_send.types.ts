// Type checks for local_vs_send: compiled together with your file, never run.
//
// How to read a failure here:
// - an `expectTypeOf(...)` line that fails starts with one line saying what
//   was expected and what your code's type is. The lines after it are
//   TypeScript's own message about expectTypeOf's internals ("does not
//   satisfy the constraint", "Expected 1 arguments"): skip them.
// - "this line should fail to type-check with TSnnnn, but it compiles" means
//   your types accept what the comment on that line says they must refuse.
import { expectTypeOf } from 'vitest';
import type { Future } from '../_lib/future';
import type { Local } from '../_lib/runtime';
import { JoinHandle, LocalExecutor, MultiThreadExecutor, type HoldsLocal, type Output } from './local_vs_send';

// Futures as the compiler would build them: their state is their type.
interface NumFut extends Future<number> {
  readonly attempt: number;
  readonly urls: string[];
  retry(): void;
}
interface HoldsSession extends Future<string> {
  readonly session: Local<{ user: string }>;
}
interface DeepLocal extends Future<boolean> {
  readonly state: { readonly inner: { readonly sub: Local<number> } };
}
interface FourDeep extends Future<string> {
  readonly a: { readonly b: { readonly c: { readonly d: Local<string> } } };
}
interface LocalsInAList extends Future<number> {
  readonly cache: Array<Local<number>>;
}
interface MaybeLocal extends Future<number> {
  readonly slot: { kind: 'none' } | { kind: 'some'; value: Local<number> };
}
interface MethodOnly extends Future<string> {
  // A method that makes a Local is not a Local held by the future.
  makeLocal(): Local<number>;
  readonly ids: readonly number[];
}
// State that refers to its own type, as a linked list of pending steps does.
interface Chain extends Future<number> {
  readonly next: Chain | undefined;
  readonly steps: number;
}
interface LocalChain extends Future<number> {
  readonly next: LocalChain | undefined;
  readonly here: Local<number>;
}
declare const numFut: NumFut;
declare const holdsSession: HoldsSession;
declare const deep: DeepLocal;
declare const fourDeep: FourDeep;
declare const inAList: LocalsInAList;
declare const maybe: MaybeLocal;
declare const methodOnly: MethodOnly;
declare const chain: Chain;
declare const localChain: LocalChain;
// One of two futures, picked at run time: it is Send only if both are.
declare const either: NumFut | HoldsSession;

const mt = new MultiThreadExecutor();
const local = new LocalExecutor();

// Send futures: spawn takes them, and the handle carries the output type.
expectTypeOf(mt.spawn(numFut)).toEqualTypeOf<JoinHandle<number>>();
expectTypeOf(mt.spawn(methodOnly)).toEqualTypeOf<JoinHandle<string>>();
// A type that refers to itself: the look stops at some depth instead of recursing for ever.
expectTypeOf(mt.spawn(chain)).toEqualTypeOf<JoinHandle<number>>();

// @ts-expect-error TS2345 a future holding a Local is not Send: spawn must refuse it
mt.spawn(holdsSession);
// @ts-expect-error TS2345 however deep the Local sits in its state (state.inner.sub)
mt.spawn(deep);
// @ts-expect-error TS2345 four levels down (a.b.c.d)
mt.spawn(fourDeep);
// @ts-expect-error TS2345 Locals inside an array
mt.spawn(inAList);
// @ts-expect-error TS2345 a Local in one member of a union
mt.spawn(maybe);
// @ts-expect-error TS2345 a future that is one of two, one of them holding a Local
mt.spawn(either);
// @ts-expect-error TS2345 a self-referring state that holds a Local
mt.spawn(localChain);

// spawnLocal takes every future, Send or not, with the same handle types.
expectTypeOf(local.spawnLocal(holdsSession)).toEqualTypeOf<JoinHandle<string>>();
expectTypeOf(local.spawnLocal(deep)).toEqualTypeOf<JoinHandle<boolean>>();
expectTypeOf(local.spawnLocal(fourDeep)).toEqualTypeOf<JoinHandle<string>>();
expectTypeOf(local.spawnLocal(numFut)).toEqualTypeOf<JoinHandle<number>>();

// The type functions themselves.
expectTypeOf<HoldsLocal<{ a: Local<1> }>>().toEqualTypeOf<true>();
expectTypeOf<HoldsLocal<{ a: { b: number; c: string[] } }>>().toEqualTypeOf<false>();
expectTypeOf<HoldsLocal<{ f: () => Local<1> }>>().toEqualTypeOf<false>();
expectTypeOf<HoldsLocal<number>>().toEqualTypeOf<false>();
expectTypeOf<Output<Future<[number, string]>>>().toEqualTypeOf<[number, string]>();
expectTypeOf<Output<NumFut>>().toEqualTypeOf<number>();
expectTypeOf<Output<string>>().toEqualTypeOf<never>();

// Not futures at all: neither executor takes them.
// @ts-expect-error TS2345 spawn takes futures only
mt.spawn(42);
declare const thenable: { then(onReady: (v: number) => void): void };
// @ts-expect-error TS2345 spawnLocal too (a Promise-like is not a poll-based future)
local.spawnLocal(thenable);
