/*
 * Fake non-blocking sockets for the VirtualReactor. The test side pushes data; the future side reads
 * with `tryRead` and, on `WOULD_BLOCK`, registers interest with the reactor, which wakes it at its
 * next turn (see reactor.ts).
 */
import type { VirtualReactor } from './reactor.js';
import type { Waker } from './types.js';

/** What `tryRead` returns when no data is buffered (Rust: `io::ErrorKind::WouldBlock`). */
export const WOULD_BLOCK: unique symbol = Symbol.for('async-lessons.WOULD_BLOCK');

/** @internal a socket's buffer, readiness and interest list. */
export interface SocketState {
  buffer: string[];
  spurious: boolean;
  interest: Waker[];
  reads: number;
  wouldBlocks: number;
  events: number;
}

// Each reactor's socket table, reachable by FakeSocket without a public accessor on the reactor.
/** @internal */
export const socketTables = new WeakMap<object, Map<number, SocketState>>();

/**
 * A non-blocking socket whose data the test supplies. Reading never waits: it returns the buffered
 * data or `WOULD_BLOCK`. To wait, register interest and return Pending; the reactor wakes you at
 * the next turn after data arrives.
 */
export class FakeSocket {
  /** The socket's file descriptor, the key for the reactor's readable registrations. */
  readonly fd: number;
  readonly #reactor: VirtualReactor;

  /** Made by `reactor.socket()`; constructing one for an existing fd gives a second handle to it. */
  constructor(reactor: VirtualReactor, fd: number) {
    if (socketTables.get(reactor)?.has(fd) !== true) throw new RangeError(`FakeSocket: the reactor has no socket with fd ${fd}; create sockets with reactor.socket().`);
    this.#reactor = reactor;
    this.fd = fd;
  }

  #s(): SocketState {
    const s = socketTables.get(this.#reactor)?.get(this.fd);
    if (s === undefined) throw new RangeError(`FakeSocket ${this.fd} is not known to its reactor.`);
    return s;
  }

  /** Everything buffered (concatenated), or `WOULD_BLOCK` when nothing is. */
  tryRead(): string | typeof WOULD_BLOCK {
    const s = this.#s();
    s.reads += 1;
    if (s.buffer.length === 0) {
      s.wouldBlocks += 1;
      return WOULD_BLOCK;
    }
    const data = s.buffer.join('');
    s.buffer = [];
    return data;
  }

  /** Test side: data arrives. Registered readers are woken at the reactor's next turn. */
  push(data: string): void {
    if (data.length > 0) this.#s().buffer.push(data);
  }

  /** Test side: readable without data (a spurious wakeup); `tryRead` will say `WOULD_BLOCK`. */
  markReadable(): void {
    this.#reactor.markReadable(this.fd);
  }

  /** Same as `reactor.registerReadable(this.fd, waker)`. */
  registerReadable(waker: Waker): void {
    this.#reactor.registerReadable(this.fd, waker);
  }

  /** Same as `reactor.deregisterReadable(this.fd, waker)`. */
  deregister(waker?: Waker): number {
    return this.#reactor.deregisterReadable(this.fd, waker);
  }

  /** Wakers waiting for this socket. */
  get interestCount(): number {
    return this.#reactor.interestCount(this.fd);
  }

  /** `tryRead` calls so far. */
  get reads(): number {
    return this.#s().reads;
  }

  /** `tryRead` calls that returned `WOULD_BLOCK`. */
  get wouldBlocks(): number {
    return this.#s().wouldBlocks;
  }

  /** Readiness events delivered (turns that woke this socket's readers). */
  get events(): number {
    return this.#s().events;
  }

  /** Characters buffered and not yet read. */
  get buffered(): number {
    return this.#s().buffer.reduce((n, d) => n + d.length, 0);
  }
}
