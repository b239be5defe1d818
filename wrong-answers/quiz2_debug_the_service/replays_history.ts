// @rejects a subscriber sees the lines after it subscribed
// Mistake: a new subscriber starts reading at line 0, so it replays lines published before it subscribed.
// quiz2_debug_the_service, solved.
//   1. Broadcast kept one waker slot: the last subscriber to wait overwrote the others. Each
//      subscriber now has its own waker, and publish/close wake every waiting subscriber.
//   2. moderate() ran inline with cpu(moderationMs): now spawnBlocking, awaited as a state.
//   3. The stats guard lived in a field across the save delay: BorrowError under concurrency, and a
//      Local in the waiting state, so the Handler was not Send. Now each borrow is taken and
//      released inside one poll, and the Handler holds no guard between polls.

import { END, type Context, type Future, type Poll, type Stream, type Waker, Pending, Ready } from '../_lib/future';
import { type ServiceReactor, type SyncCell, delay, moderate, spawnBlocking } from '../_lib/quiz2_service';

/** A room: every subscriber receives every line published after it subscribed. */
export class Broadcast<T> {
  readonly lines: T[] = [];
  closed = false;
  // One entry per subscriber that is waiting, holding the waker of its latest poll.
  readonly waiting = new Set<{ waker: Waker }>();

  publish(line: T): void {
    if (this.closed) throw new Error('publish on a closed room');
    this.lines.push(line);
    this.wakeAll();
  }

  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  subscribe(): Stream<T> {
    let next = 0;
    let entry: { waker: Waker } | undefined;
    const leave = (): void => {
      if (entry !== undefined) this.waiting.delete(entry);
    };
    return {
      pollNext: (cx: Context): Poll<T | typeof END> => {
        if (next < this.lines.length) {
          leave();
          return Ready(this.lines[next++] as T);
        }
        if (this.closed) {
          leave();
          return Ready(END);
        }
        if (entry === undefined) entry = { waker: cx.waker.clone() };
        else if (!entry.waker.willWakeSame(cx.waker)) entry.waker = cx.waker.clone();
        this.waiting.add(entry);
        return Pending;
      },
      drop: leave,
    };
  }

  // Every line is for every subscriber, so every waiting one is woken (and leaves the set).
  wakeAll(): void {
    const all = [...this.waiting];
    this.waiting.clear();
    for (const w of all) w.waker.wake();
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
  moderating: Future<string> | undefined;
  saving: Future<void> | undefined;

  constructor(svc: Service, from: string, text: string) {
    this.svc = svc;
    this.from = from;
    this.text = text;
  }

  poll(cx: Context): Poll<string> {
    for (;;) {
      switch (this.state) {
        case 'moderate': {
          const text = this.text;
          this.moderating ??= spawnBlocking(this.svc.reactor, this.svc.moderationMs, () => moderate(text));
          const p = this.moderating.poll(cx);
          if (!p.ready) return Pending;
          this.moderating = undefined;
          this.text = p.value;
          // Borrow, update, release, all in this poll: no guard is alive while we wait.
          const guard = this.svc.stats.borrowMut().value;
          guard.value.messages += 1;
          guard.release();
          this.saving = delay(this.svc.reactor, this.svc.saveMs);
          this.state = 'save';
          continue;
        }
        case 'save': {
          if (this.saving === undefined || !this.saving.poll(cx).ready) return Pending;
          this.saving = undefined;
          const guard = this.svc.stats.borrowMut().value;
          guard.value.lastFrom = this.from;
          guard.release();
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
