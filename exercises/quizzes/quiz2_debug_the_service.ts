// quiz2_debug_the_service: a chat service with three bugs that its own test does not see.
//
// Draws on 06_compile_errors (Send, guards across an await), 07_runtime_errors (finding what a
// stuck task waits for) and 08_failure_modes (blocking, lost wakeups).
//
// The service: clients `subscribe()` to a `Broadcast` room and read lines from it; for every
// incoming message a `Handler` task moderates the text (CPU-heavy), counts it in the shared room
// stats, saves it (a `delay` of `saveMs`, standing in for a database write), and publishes
// "<from>: <moderated text>" to the room. The checks spawn Handlers with a multi-threaded
// executor's `spawn`, which takes only Send futures. (No `private` fields: TypeScript's `keyof`,
// and so the Send check, cannot see them.)
//
// With one client and one message everything works, and the first check passes. With 50 clients
// and a burst of messages it does not. Find and fix the three bugs:
//   1. some clients never receive some lines, though nothing throws;
//   2. the event loop stalls: every poll of a Handler takes `moderationMs`;
//   3. under concurrency, a Handler throws BorrowError; and `spawn(new Handler(…))` does not even
//      compile ("… is not assignable to parameter of type 'never'").
// Keep the behaviour: lines arrive at every subscriber in the order they were published, each
// subscriber sees the lines published after it subscribed, `close()` ends every subscriber (END
// after the lines already published), the stats count every message and `lastFrom` is the sender
// of the line published last.
//
// TODO: find the three bugs; the checks' messages say what they saw.
//
// Rust equivalent: a tokio service with a broadcast channel (`tokio::sync::broadcast`),
// `spawn_blocking` for CPU work, and a `std::sync::Mutex` whose guard must not live across an
// `.await` (clippy's `await_holding_lock`; a future holding a `MutexGuard` is not Send).

import { END, type Context, type Future, type Poll, type Stream, type Waker, Pending, Ready } from '../_lib/future';
import type { Local } from '../_lib/runtime';
import { type Guard, type ServiceReactor, type SyncCell, delay, moderate } from '../_lib/quiz2_service';

/** A room: every subscriber receives every line published after it subscribed. */
export class Broadcast<T> {
  readonly lines: T[] = [];
  closed = false;
  waker: Waker | undefined;

  publish(line: T): void {
    if (this.closed) throw new Error('publish on a closed room');
    this.lines.push(line);
    this.waker?.wake();
  }

  close(): void {
    this.closed = true;
    this.waker?.wake();
  }

  subscribe(): Stream<T> {
    let next = this.lines.length;
    return {
      pollNext: (cx: Context): Poll<T | typeof END> => {
        if (next < this.lines.length) return Ready(this.lines[next++] as T);
        if (this.closed) return Ready(END);
        this.waker = cx.waker.clone();
        return Pending;
      },
    };
  }
}

export interface RoomStats {
  messages: number;
  lastFrom: string;
}

export interface Service {
  reactor: ServiceReactor;
  room: Broadcast<string>;
  stats: SyncCell<RoomStats>;
  /** How long moderating one message takes (CPU time). */
  moderationMs: number;
  /** How long saving one message takes (waiting, not CPU). */
  saveMs: number;
}

/** Handles one incoming message; outputs the line it published. */
export class Handler implements Future<string> {
  readonly svc: Service;
  readonly from: string;
  text: string;
  state: 'moderate' | 'save' | 'done' = 'moderate';
  saving: Future<void> | undefined;
  guard: Local<Guard<RoomStats>> | undefined;

  constructor(svc: Service, from: string, text: string) {
    this.svc = svc;
    this.from = from;
    this.text = text;
  }

  poll(cx: Context): Poll<string> {
    for (;;) {
      switch (this.state) {
        case 'moderate': {
          this.svc.reactor.cpu(this.svc.moderationMs);
          this.text = moderate(this.text);
          this.guard = this.svc.stats.borrowMut();
          this.guard.value.value.messages += 1;
          this.saving = delay(this.svc.reactor, this.svc.saveMs);
          this.state = 'save';
          continue;
        }
        case 'save': {
          if (this.saving === undefined || !this.saving.poll(cx).ready) return Pending;
          this.saving = undefined;
          if (this.guard !== undefined) {
            this.guard.value.value.lastFrom = this.from;
            this.guard.value.release();
            this.guard = undefined;
          }
          const line = `${this.from}: ${this.text}`;
          this.svc.room.publish(line);
          this.state = 'done';
          return Ready(line);
        }
        case 'done':
          throw new Error('Handler polled after it returned Ready');
      }
    }
  }
}
