// The course library for 06_compile_errors: a simulated Rust move, and pinning.
//
// JavaScript objects never move: a reference stays valid as long as you hold it. Rust values do
// move (a move copies the bytes to a new place and the old place is dead), which is why a future
// that points into itself must be pinned before it is polled. `move` simulates that here so the
// bug becomes visible; `pin` makes the promise not to move.
//
// Rust equivalent: `std::pin::{Pin, pin!}`, `Box::pin`, the `Unpin` auto trait and
// `std::marker::PhantomPinned`.

// Captured when the library loads, so code that rewrites the built-ins later changes nothing here.
const apply = Reflect.apply;
const ownKeys = Reflect.ownKeys;
const getProto = Reflect.getPrototypeOf;
const create = Object.create;
const defineProperty = Reflect.defineProperty;
const hasOwn = Object.hasOwn;
const isView = ArrayBuffer.isView;
const typedProto = getProto(Uint8Array.prototype) as object;
const typedSlice = (Reflect.getOwnPropertyDescriptor(typedProto, 'slice') as PropertyDescriptor).value as (this: unknown) => unknown;
const typedFill = (Reflect.getOwnPropertyDescriptor(typedProto, 'fill') as PropertyDescriptor).value as (this: unknown, v: number) => unknown;

/** The mark `pin` puts on a value: it will not move again. */
export const PINNED: unique symbol = Symbol.for('async-lessons.PINNED');

/** Thrown by `move` for a pinned value whose class is not Unpin. Rust: the compile error you get instead. */
export class MovedWhilePinned extends Error {
  constructor(what: string) {
    super(`${what} was moved after it was pinned; it is not Unpin, so a pin is a promise that it never moves again`);
    this.name = 'MovedWhilePinned';
  }
}

/** What a `!Unpin` future throws when it is polled without being pinned. Rust: `poll` takes `Pin<&mut Self>`. */
export class NotPinned extends Error {
  constructor(what: string) {
    super(`${what} was polled without being pinned; pin it first (it points into itself once polled)`);
    this.name = 'NotPinned';
  }
}

/** True when the value's class says `static unpin = true`: it does not care where it lives. Rust: `T: Unpin`. */
export function isUnpin(value: object): boolean {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && (ctor as { unpin?: unknown }).unpin === true;
}

/** True when `pin` has marked the value. */
export function isPinned(value: object): boolean {
  return hasOwn(value, PINNED);
}

/** Promises that `value` never moves again, and returns it. Rust: `Box::pin(value)` / `pin!(value)`. */
export function pin<T extends object>(value: T): T {
  defineProperty(value, PINNED, { value: true, enumerable: false, configurable: false, writable: false });
  return value;
}

function nameOf(value: object): string {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'the value';
}

/**
 * Moves `value` to a new place, as a Rust move does, and returns the value at its new place.
 * - every own field is copied over; a typed array the value owns is copied to new memory (its
 *   bytes live inside the value in Rust), other objects are shared (they are behind pointers);
 * - the old place is wiped: its fields become `undefined` and its typed arrays are zeroed, so a
 *   reference that still points there reads garbage, silently, as a dangling pointer would;
 * - a pinned value whose class is not Unpin throws `MovedWhilePinned` instead.
 */
export function move<T extends object>(value: T): T {
  if (isPinned(value) && !isUnpin(value)) throw new MovedWhilePinned(nameOf(value));
  const moved = create(getProto(value)) as Record<PropertyKey, unknown>;
  const old = value as Record<PropertyKey, unknown>;
  for (const key of ownKeys(value)) {
    if (key === PINNED) continue; // a moved value is at a new place, which nobody has pinned
    const field = old[key];
    if (isView(field) && !(field instanceof DataView)) {
      moved[key] = apply(typedSlice, field, []);
      apply(typedFill, field, [0]);
    } else {
      moved[key] = field;
    }
    old[key] = undefined;
  }
  return moved as T;
}
