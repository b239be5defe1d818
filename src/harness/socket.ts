/*
 * Fake non-blocking sockets for the VirtualReactor. The test side pushes data; the future side reads
 * with `tryRead` and, on `WOULD_BLOCK`, registers interest with the reactor, which wakes it at its
 * next turn (see reactor.ts).
 *
 * Readiness is edge-triggered, like epoll with EPOLLET and like mio: data that arrives (`push`) makes
 * one readiness event, delivered at the next turn to the wakers registered then. Data left unread in
 * the socket does not make another event; only new data does. A reader must therefore keep calling
 * `tryRead` until `WOULD_BLOCK` before it waits again, or it waits for an event that never comes.
 * A socket made with a `readSize` returns at most that many characters per `tryRead`, as `read(2)`
 * into a small buffer does, so "one read per wake" leaves data behind.
 */
import type { VirtualReactor } from './reactor.js';
import type { Waker } from './types.js';

/** What `tryRead` returns when no data is buffered (Rust: `io::ErrorKind::WouldBlock`). */
export const WOULD_BLOCK: unique symbol = Symbol.for('async-lessons.WOULD_BLOCK');

/** @internal a socket's buffer, readiness and interest list. */
export interface SocketState {
  buffer: string[];
  /** New data arrived that no readiness event has reported yet (cleared by the event, or by reading the socket empty). */
  edge: boolean;
  /** The most characters one `tryRead` returns. */
  readSize: number;
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

  /**
   * What is buffered (concatenated, at most the socket's `readSize` characters; everything by
   * default), or `WOULD_BLOCK` when nothing is. Reading never waits and never makes a readiness event.
   */
  tryRead(): string | typeof WOULD_BLOCK {
    const s = this.#s();
    s.reads += 1;
    if (s.buffer.length === 0) {
      s.wouldBlocks += 1;
      return WOULD_BLOCK;
    }
    const all = s.buffer.join('');
    const data = all.slice(0, s.readSize);
    const rest = all.slice(data.length);
    s.buffer = rest.length > 0 ? [rest] : [];
    // Read empty: there is nothing new left for a pending event to announce.
    if (s.buffer.length === 0) s.edge = false;
    return data;
  }

  /**
   * Test side: data arrives. It makes one readiness event (edge-triggered), delivered at the
   * reactor's next turn to the readers registered then; several pushes before a turn make one event.
   */
  push(data: string): void {
    if (data.length > 0) {
      const s = this.#s();
      s.buffer.push(data);
      s.edge = true;
    }
  }

  /** The most characters one `tryRead` returns (`Infinity` unless the socket was made with a `readSize`). */
  get readSize(): number {
    return this.#s().readSize;
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
