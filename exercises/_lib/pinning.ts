// The course library for 06_compile_errors: a simulated Rust move, and pinning.
//
// JavaScript objects never move: a reference stays valid as long as you hold it. Rust values do
// move (a move copies the bytes to a new place and the old place is dead), which is why a future
// that points into itself must be pinned before it is polled. `move` simulates that here so the
// bug becomes visible; `pin` makes the promise not to move.
//
// Rust equivalent: `std::pin::{Pin, pin!}`, `Box::pin`, the `Unpin` auto trait and
// `std::marker::PhantomPinned`.

import type { Context, Poll } from './future';

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

// ---------------------------------------------------------------------------------------------
// Pin as a type (06_compile_errors/pin_type)
// ---------------------------------------------------------------------------------------------

declare const PIN_BRAND: unique symbol;
declare const NOT_UNPIN: unique symbol;

/**
 * A value that has been pinned: the type-level half of `pin`. Rust: `Pin<P>`. Only `pinNew` (for
 * Unpin values) and a pinning box can make one; the brand cannot be written any other way.
 */
export type Pin<P> = P & { readonly [PIN_BRAND]: true };

/** The marker a self-referential type holds to be `!Unpin`. Rust: `std::marker::PhantomPinned`. */
export interface PhantomPinned {
  readonly [NOT_UNPIN]: true;
}

/** The one PhantomPinned value: put it in a field (`readonly pinned = PhantomPinned`). */
export const PhantomPinned: PhantomPinned = Object.freeze({}) as PhantomPinned;

/** `true` when some field of `T` is a PhantomPinned, so `T` is `!Unpin`. */
export type IsNotUnpin<T> = true extends { [K in keyof T]-?: T[K] extends PhantomPinned ? true : false }[keyof T] ? true : false;

/** `unknown` for an Unpin type, `never` for a `!Unpin` one; intersect a parameter with it. Rust: `T: Unpin`. */
export type RequireUnpin<T> = IsNotUnpin<T> extends true ? never : unknown;

/** A future whose `poll` needs a pinned receiver. Rust: `fn poll(self: Pin<&mut Self>, cx)`. */
export interface PinFuture<T> {
  poll(this: Pin<this>, cx: Context): Poll<T>;
}

/**
 * Pins an Unpin value where it is: free, because it does not care whether it moves.
 * Rust: `Pin::new(&mut value)`, which requires `T: Unpin`. A `!Unpin` value is refused (TS2345).
 */
export function pinNew<T extends object>(value: T & RequireUnpin<T>): Pin<T> {
  const plain: T = value; // drop the Unpin check's part of the type before adding the brand
  return plain as Pin<T>;
}
