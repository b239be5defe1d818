// reactor_io: reference solution.
//
// Rust equivalent: tokio's IO driver sits on mio (epoll/kqueue). `poll_read`
// registers interest through a `Registration` and returns `Poll::Pending`.

import { type Future, Pending, Ready } from '../_lib/future';
import type { Waker } from '../_lib/future';

/** A non-blocking socket. The checks pass a `FakeSocket`. */
export interface Socket {
  readonly fd: number;
  /**
   * Data that has arrived, in order: all of it or only the first part (a read returns at most the
   * socket's read size), or WOULD_BLOCK (a symbol) when nothing is left.
   */
  tryRead(): string | symbol;
}

/** The IO half of a reactor. The checks pass a `VirtualReactor`. */
export interface IoReactor {
  /**
   * Wake `waker` once, at the next readiness event of socket `fd`. Edge-triggered: an event means
   * "new data arrived"; data you leave unread makes no new event.
   */
  registerReadable(fd: number, waker: Waker): void;
  /** Forget `waker`'s interest in `fd`. Returns how many registrations were removed. */
  deregisterReadable(fd: number, waker?: Waker): number;
}

export class LineReader {
  private readonly sock: Socket;
  private readonly reactor: IoReactor;
  /** Data read but not yet returned. It outlives each readLine() future. */
  private buffer = '';

  constructor(sock: Socket, reactor: IoReactor) {
    this.sock = sock;
    this.reactor = reactor;
  }

  /** A future of the next line, without its "\n". */
  readLine(): Future<string> {
    // The waker this future registered with the reactor, while it waits.
    let registered: Waker | undefined;
    const forget = (): void => {
      if (registered !== undefined) this.reactor.deregisterReadable(this.sock.fd, registered);
      registered = undefined;
    };
    return {
      poll: (cx) => {
        for (;;) {
          // A full line already buffered? Then no read is needed at all.
          const nl = this.buffer.indexOf('\n');
          if (nl >= 0) {
            const line = this.buffer.slice(0, nl);
            this.buffer = this.buffer.slice(nl + 1);
            forget();
            return Ready(line);
          }
          const data = this.sock.tryRead();
          if (typeof data !== 'string') {
            // WOULD_BLOCK, so the socket is drained: ask the reactor to wake us at its next
            // event. (Registering again with the same task's waker replaces the old one; if
            // another task polls us now, its waker replaces the old task's.)
            if (registered !== undefined && !registered.willWakeSame(cx.waker)) forget();
            registered = cx.waker.clone();
            this.reactor.registerReadable(this.sock.fd, registered);
            return Pending;
          }
          this.buffer += data; // keep going until a full line or WOULD_BLOCK
        }
      },
      drop: forget,
    };
  }
}
