// lost_wakeup: returning Pending is a promise that somebody will call wake().
//
// The chapter: "…if you implement the Future trait incorrectly. Such errors
// can silently pass both the compiler and sometimes even unit tests."
//
// `Channel` below compiles, and its first check (send, then receive)
// passes: the value is already there, so `recv()` is Ready on its first
// poll. Receive first and it breaks: `poll` returns Pending without giving
// its waker to anybody, `send` wakes `this.waker`, which nobody ever set, and
// the receiving task sleeps forever. Nothing throws and nothing is logged:
// the task just never runs again.
//
// Task: make waiting receivers wake up.
//   - a receiver that finds the channel empty stores a clone of `cx.waker`
//     in a waiter entry of its own, kept by the channel, before it returns
//     Pending. Polled again (perhaps by another task), it replaces the waker
//     in its entry; it never adds a second entry;
//   - `send(value)` queues the value and wakes ONE waiting receiver, the one
//     that has waited longest (first in, first out), taking its entry off
//     the list;
//   - `close()` wakes EVERY waiting receiver. After it, receivers get the
//     values still queued, then `END`; `send` throws;
//   - a receiver that returns Ready, or is dropped (`drop()`: cancelled),
//     takes its entry off the list, or a later send would wake it instead of
//     a receiver that is still waiting: a wakeup lost the other way round;
//   - a receiver that send() woke, dropped before it polled again, passes
//     that wake on to the next waiting receiver while values are queued
//     (tokio's `Notify` does the same): the wake was meant for a value, and
//     the value is still there.
//
// TODO: give each recv() future a waiter entry the channel keeps.
// TODO: wake one waiter in send, all of them in close.
// TODO: add drop() to the recv() future.
//
// Rust equivalent: a future that returns `Poll::Pending` without arranging a
// wake hangs its task forever, and reports nothing. Channels keep a queue of
// waiting wakers (`tokio::sync::Notify`, `async-channel`);
// `futures::task::AtomicWaker` is the one-waker slot.

import { END, type Future, type Waker, Pending, Ready } from '../_lib/future';

export class Channel<T> {
  private readonly queue: T[] = [];
  private waker: Waker | undefined;
  private closed = false;

  send(value: T): void {
    this.queue.push(value);
    this.waker?.wake();
  }

  close(): void {
    this.closed = true;
    this.waker?.wake();
  }

  /** A future of the next value, or END once the channel is closed and empty. */
  recv(): Future<T | typeof END> {
    return {
      poll: () => {
        if (this.queue.length > 0) return Ready(this.queue.shift() as T);
        if (this.closed) return Ready(END);
        return Pending;
      },
    };
  }
}
