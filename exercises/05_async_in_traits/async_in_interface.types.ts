// Type checks for async_in_interface: compiled together with your file, never run.
//
// How to read a failure here:
// - an `expectTypeOf(...)` line that fails starts with one line saying what
//   was expected and what your code's type is, e.g.
//   "expectTypeOf<KeyValueStore['get']>().returns: expected exactly
//   `Promise<string | undefined>`, found `string | undefined`". The lines
//   after it are TypeScript's own message about expectTypeOf's internals
//   ("does not satisfy the constraint", "Expected 1 arguments"): skip them.
// - "this line should fail to type-check with TSnnnn, but it compiles" means
//   your types accept what the comment on that line says they must refuse.
import { expectTypeOf } from 'vitest';
import { LoggingStore, MemoryStore, SlowStore, type KeyValueStore } from './async_in_interface';

declare const store: KeyValueStore;

// A caller gets a Promise back, not the value itself.
// @ts-expect-error TS2322 get() must return a Promise of the value, so it cannot be used as a plain string
const direct: string = store.get('k');

expectTypeOf<KeyValueStore['get']>().parameters.toEqualTypeOf<[key: string]>();
expectTypeOf<KeyValueStore['get']>().returns.toEqualTypeOf<Promise<string | undefined>>();
expectTypeOf<KeyValueStore['set']>().parameters.toEqualTypeOf<[key: string, value: string]>();
expectTypeOf<KeyValueStore['set']>().returns.toEqualTypeOf<Promise<void>>();

// Every store, and the decorator around any of them, is a KeyValueStore.
const memory = new MemoryStore();
const stores: KeyValueStore[] = [
  memory,
  new SlowStore(memory, 5, () => Promise.resolve()),
  new LoggingStore(new SlowStore(memory, 5, () => Promise.resolve()), []),
];

// Code written against the interface works with all of them.
async function roundTrip(s: KeyValueStore): Promise<string> {
  await s.set('k', 'v');
  return (await s.get('k')) ?? 'missing';
}

void direct;
void stores.map(roundTrip);
