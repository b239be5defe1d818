// reactor_io: wait for a socket the way a runtime does.
//
// Goal: `LineReader` reads newline-terminated lines from a non-blocking
// socket. `sock.tryRead()` never waits: it returns data that has arrived (a
// string, possibly several lines or half a line, and at most the socket's
// read size, so there may be more behind it), or the symbol WOULD_BLOCK when
// nothing is left.
//
// The `readLine()` future below has two problems:
//   - on WOULD_BLOCK it wakes itself and returns Pending, so the executor
//     polls it again at once, and again, and again: a busy loop that burns
//     the CPU until data arrives;
//   - it assumes each read is exactly one line. Data arrives in pieces: half
//     a line now and the rest later, or two lines at once.
//
// What a reactor-based read does instead:
//   - on WOULD_BLOCK, hand a clone of the waker to the reactor with
//     `reactor.registerReadable(sock.fd, waker)` and return Pending. The
//     reactor wakes it once, at the next readiness event. Events are
//     edge-triggered (like epoll's EPOLLET): one per arrival of new data.
//     Data you leave in the socket makes no new event, so never wait before
//     a read has said WOULD_BLOCK;
//   - if another task polls the future, its waker replaces the old one
//     (deregister the old registration; don't keep both);
//   - keep the data read so far in a buffer that belongs to the reader (not
//     to one readLine future), so a half line waits for its other half and a
//     second line waits for the next readLine() call;
//   - when woken, read until there is a full line or WOULD_BLOCK;
//   - `drop()` (the future was cancelled) removes its registration with
//     `reactor.deregisterReadable(sock.fd, waker)`.
//
// TODO: register with the reactor on WOULD_BLOCK instead of waking yourself.
// TODO: buffer partial data in the reader; return one line at a time
//       (without its "\n") and keep the rest.
// TODO: add `drop()` to the future, removing its registration.
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

  constructor(sock: Socket, reactor: IoReactor) {
    this.sock = sock;
    this.reactor = reactor;
  }

  /** A future of the next line, without its "\n". */
  readLine(): Future<string> {
    const sock = this.sock;
    return {
      poll(cx) {
        const data = sock.tryRead();
        if (typeof data !== 'string') {
          // Nothing yet: "try again right away".
          cx.waker.wake();
          return Pending;
        }
        // Assumes the data is exactly one line.
        return Ready(data.replace(/\n$/, ''));
      },
    };
  }
}
