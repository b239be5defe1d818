// @rejects box() is called once per get() call
// Mistake: boxes one future per key and hands it out again on the next call, as if a future were a cached value.
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

// The Send check happens here, while F is still known: a store whose future
// holds a Local makes the parameter type `never`, so the call does not
// compile. Inside, F is just "some Future<string>": once boxed, nobody can
// look again, which is why the decision has to be made before boxing.
export function boxed<F extends Future<string>>(store: Store<F> & RequireSend<F>): DynStore {
  const cache = new Map<string, BoxFuture<string>>();
  return {
    get: (key) => {
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const fut = box(store.get(key));
      cache.set(key, fut);
      return fut;
    },
  };
}

// No check: a LocalBoxFuture promises nothing about threads, and the
// runtime's `spawn` refuses it (use `spawnLocal`).
export function boxedLocal<F extends Future<string>>(store: Store<F>): LocalDynStore {
  return {
    get: (key) => boxLocal(store.get(key)),
  };
}
