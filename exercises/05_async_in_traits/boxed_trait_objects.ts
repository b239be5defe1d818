// boxed_trait_objects: many kinds of store in one list, at a price.
//
// Goal: `Store<F>` is generic over the future its `get` returns. That keeps
// the exact future type, which is good for checking (the compiler knows
// whether it holds a `Local`, a value that must stay on its thread). But the
// app wants one list of stores of *different* kinds, and their futures have
// different types. So each store gets wrapped into a `DynStore`, whose `get`
// returns the same type for everybody: a boxed future.
//
// Two wrappers, as in the `futures` crate:
//   - `boxed(store)` gives a `DynStore`, whose futures are `BoxFuture`s:
//     promised to be Send, so a multi-threaded runtime may run them. It must
//     refuse, at compile time, a store whose future type holds a `Local`;
//   - `boxedLocal(store)` gives a `LocalDynStore`, whose futures are
//     `LocalBoxFuture`s: any store is accepted, and `spawn` will refuse its
//     futures (they need `spawnLocal`).
//
// Every `get` call boxes its future with `box()` or `boxLocal()` from the
// course library: one allocation per call, which is the price of erasing
// the type. Read their notes in ../_lib/runtime.ts: `box` cannot look inside
// a generic `F`, so the Send check has to happen in `boxed`'s own signature.
//
// TODO: write `boxed`; make its parameter type refuse stores whose future
//       type holds a Local (`RequireSend<F>` turns that into `never`).
// TODO: write `boxedLocal`.
//
// Rust equivalent: `#[async_trait]` boxes every call into a `BoxFuture`
// (`Pin<Box<dyn Future + Send>>`); `#[async_trait(?Send)]` into a
// `LocalBoxFuture`. Native async fn in traits cannot be used as `dyn Trait`.

import type { Future } from '../_lib/future';
import { box, boxLocal, type BoxFuture, type LocalBoxFuture, type RequireSend } from '../_lib/runtime';

/** A store that keeps its future's concrete type `F`. Rust: a trait with a native `async fn get`. */
export interface Store<F extends Future<string>> {
  get(key: string): F;
}

/** Any Send store, with the future type erased. Rust: `Box<dyn Store + Send + Sync>` via async_trait. */
export interface DynStore {
  get(key: string): BoxFuture<string>;
}

/** Any store at all, with the future type erased and no Send promise. Rust: `#[async_trait(?Send)]`. */
export interface LocalDynStore {
  get(key: string): LocalBoxFuture<string>;
}

export function boxed<F extends Future<string>>(store: Store<F>): DynStore {
  void store;
  throw new Error("TODO: boxed() should return a DynStore whose get(key) boxes the store's future with box()");
}

export function boxedLocal<F extends Future<string>>(store: Store<F>): LocalDynStore {
  void store;
  throw new Error("TODO: boxedLocal() should return a LocalDynStore whose get(key) boxes the store's future with boxLocal()");
}
