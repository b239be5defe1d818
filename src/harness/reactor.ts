/*
 * A reactor on a virtual clock: the part of a runtime that holds wakers for timers and sockets and
 * calls them when the event happens (Rust: tokio's time driver plus its mio-based IO driver).
 *
 * Nothing here is asynchronous: time moves only when a test (or an executor) calls `advance`,
 * `turn` or `cpu`, and a woken waker runs synchronously inside that call. That is what makes checks
 * deterministic: "finished at exactly t=150" is a fact, not a measurement.
 *
 * Socket readiness is delivered when the reactor turns, as epoll delivers it when the runtime
 * polls it: `push()` alone wakes nobody. That is how a check can show that an IO future driven by
 * an executor that never turns *this* reactor stalls.
 *
 * Readiness is edge-triggered (epoll's EPOLLET, mio): new data makes one event, delivered once, to
 * the wakers registered at that turn. Data a reader leaves in the socket makes no further event, so
 * a reader that waits again before `tryRead` said `WOULD_BLOCK` is never woken for it. An event that
 * finds nobody registered stays pending until somebody registers (mio reports readiness that arrived
 * before registration too), unless the socket is read empty first.
 */
import { noteRegistration, noteTime } from './timeline.js';
import type { Waker, WakerHolder } from './types.js';
import { FakeSocket, type SocketState, socketTables } from './socket.js';
import { isWaker, notAWaker, sameWaker } from './wakers.js';

export { FakeSocket, WOULD_BLOCK } from './socket.js';

/** Identifies a timer registration. Ids start at 1, so a stored id is always truthy. */
export type TimerId = number;

/** A waker the reactor holds, and why. */
export type Registration =
  | { kind: 'timer'; id: TimerId; deadline: number; waker: Waker }
  | { kind: 'readable'; fd: number; waker: Waker };

interface Timer {
  deadline: number;
  waker: Waker;
  seq: number;
}

/**
 * A reactor with a virtual clock (`now`, in ms, starting at 0), timers and fake sockets.
 * Time moves only through `advance`, `turn` and `cpu`.
 */
export class VirtualReactor implements WakerHolder {
  #now: number;
  #timers = new Map<TimerId, Timer>();
  #nextId = 1;
  #seq = 0;
  #turns = 0;
  #fired = 0;
  #maxLateness = 0;
  #sockets = new Map<number, SocketState>();

  /** @param start the initial virtual time (default 0). */
  constructor(start = 0) {
    this.#now = start;
    socketTables.set(this, this.#sockets);
    noteTime(start);
  }

  /** The current virtual time in ms. */
  get now(): number {
    return this.#now;
  }

  /** How many times `turn()` has been called. */
  get turns(): number {
    return this.#turns;
  }

  /** Timers registered and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Timers fired so far. */
  get firedTimers(): number {
    return this.#fired;
  }

  /** The largest delay between a timer's deadline and the moment it fired (grows when `cpu()` blocks). */
  get maxTimerLateness(): number {
    return this.#maxLateness;
  }

  /**
   * Asks for `waker` to be woken once `now >= deadline` (an absolute virtual time, e.g.
   * `reactor.now + 100`). Returns the timer's id. Pass a previous id as `replace` to update that
   * registration (new deadline and waker) instead of adding a second one; a future that re-registers
   * on every poll should do that, or its old registrations pile up.
   */
  registerTimer(deadline: number, waker: Waker, replace?: TimerId): TimerId {
    if (typeof deadline !== 'number' || !Number.isFinite(deadline)) {
      throw new TypeError(`registerTimer(deadline, waker): deadline must be a finite virtual time in ms such as reactor.now + 100, but got ${String(deadline)}.`);
    }
    if (!isWaker(waker)) throw notAWaker('registerTimer(deadline, waker)', waker);
    let id = replace;
    if (id === undefined) id = this.#nextId++;
    else if (!Number.isInteger(id) || id < 1 || id >= this.#nextId) {
      throw new RangeError(`registerTimer(deadline, waker, replace): ${String(id)} is not a timer id this reactor returned; pass the id an earlier registerTimer call gave you, or leave it out.`);
    }
    this.#timers.set(id, { deadline, waker, seq: this.#seq++ });
    noteRegistration(this.now, 'timer');
    return id;
  }

  /** Removes a pending timer. Returns false when it had already fired or been cancelled. */
  cancelTimer(id: TimerId): boolean {
    return this.#timers.delete(id);
  }

  /** The earliest pending deadline, or undefined when no timer is pending. */
  nextDeadline(): number | undefined {
    return this.#earliest()?.[1].deadline;
  }

  /**
   * The wakers the reactor holds: the one for timer `id` (an empty list once it fired or was
   * cancelled), or, without `id`, every pending timer in firing order followed by every socket interest.
   */
  registrations(id?: TimerId): Registration[] {
    if (id !== undefined) {
      const t = this.#timers.get(id);
      return t ? [{ kind: 'timer', id, deadline: t.deadline, waker: t.waker }] : [];
    }
    const timers = [...this.#timers].sort(([, a], [, b]) => a.deadline - b.deadline || a.seq - b.seq);
    const out: Registration[] = timers.map(([tid, t]) => ({ kind: 'timer', id: tid, deadline: t.deadline, waker: t.waker }));
    for (const [fd, s] of this.#sockets) for (const waker of s.interest) out.push({ kind: 'readable', fd, waker });
    return out;
  }

  /** True when some registration holds a waker that would wake the same task as `waker`. */
  holds(waker: Waker): boolean {
    return this.registrations().some((r) => sameWaker(r.waker, waker));
  }

  /**
   * Moves time forward by `ms`, delivering socket readiness first and then firing every timer due by
   * the new time, earliest first (ties in registration order). While a timer fires, `now` equals its
   * deadline. Returns the number of wakers woken.
   */
  advance(ms: number): number {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance(ms): ms must be a finite number ≥ 0, but got ${String(ms)}.`);
    }
    const target = this.#now + ms;
    noteTime(this.#now);
    const woken = this.#deliverIo() + this.#fireDue(target);
    this.#now = Math.max(this.#now, target);
    noteTime(this.#now);
    return woken;
  }

  /**
   * One turn of the event loop: delivers socket readiness and fires the timers already due; if that
   * wakes nobody, jumps to the next deadline and fires the timers due then. Returns false when
   * nothing could be woken (no readiness, no timers): waiting longer would not help.
   */
  turn(): boolean {
    this.#turns += 1;
    noteTime(this.#now);
    if (this.#deliverIo() + this.#fireDue(this.#now) > 0) return true;
    const next = this.nextDeadline();
    if (next === undefined) return false;
    return this.#fireDue(next) > 0;
  }

  /**
   * Stands in for `ms` of blocking work: the clock moves on but no timer fires, just as no callback
   * can run while a real thread is busy. Timers that became due fire (late) at the next turn.
   */
  cpu(ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`cpu(ms): ms must be a finite number ≥ 0, but got ${String(ms)}.`);
    }
    this.#now += ms;
    noteTime(this.#now);
  }

  /**
   * Creates a fake socket on this reactor (file descriptors are numbered from 3 unless given).
   * `options.readSize` caps how many characters one `tryRead` returns (default: everything buffered).
   */
  socket(fd?: number, options: { readSize?: number } = {}): FakeSocket {
    let n = fd;
    if (n === undefined) for (n = 3; this.#sockets.has(n); n++);
    if (this.#sockets.has(n)) throw new RangeError(`socket(${n}): this reactor already has a socket with fd ${n}.`);
    const readSize = options.readSize ?? Infinity;
    if (!(readSize >= 1)) throw new RangeError(`socket(fd, { readSize }): readSize must be at least 1, but got ${String(readSize)}.`);
    this.#sockets.set(n, { buffer: [], edge: false, readSize, spurious: false, interest: [], reads: 0, wouldBlocks: 0, events: 0 });
    return new FakeSocket(this, n);
  }

  /**
   * Asks for `waker` to be woken at the next readiness event of socket `fd`: new data arriving (or
   * `markReadable`). Edge-triggered: data already in the socket and already reported wakes nobody, so
   * register only after `tryRead` said `WOULD_BLOCK`. A registration whose waker would wake the same
   * task is replaced, so registering on every poll does not pile up. Each registration fires once and
   * is then gone (register again after the next `WOULD_BLOCK`).
   */
  registerReadable(fd: number, waker: Waker): void {
    if (!isWaker(waker)) throw notAWaker('registerReadable(fd, waker)', waker);
    const s = this.#socket(fd, 'registerReadable');
    noteRegistration(this.now, 'io');
    const i = s.interest.findIndex((w) => sameWaker(w, waker));
    if (i >= 0) s.interest[i] = waker;
    else s.interest.push(waker);
  }

  /** Removes the interest of `waker` in `fd` (every interest when no waker is given). Returns how many were removed. */
  deregisterReadable(fd: number, waker?: Waker): number {
    const s = this.#socket(fd, 'deregisterReadable');
    const before = s.interest.length;
    s.interest = waker === undefined ? [] : s.interest.filter((w) => !sameWaker(w, waker));
    return before - s.interest.length;
  }

  /** Makes `fd` report readable at the next turn even without data (a spurious wakeup). */
  markReadable(fd: number): void {
    this.#socket(fd, 'markReadable').spurious = true;
  }

  /** How many wakers are waiting for `fd` to become readable (0 for an unknown fd). */
  interestCount(fd: number): number {
    return this.#sockets.get(fd)?.interest.length ?? 0;
  }

  #socket(fd: number, where: string): SocketState {
    const s = this.#sockets.get(fd);
    if (s === undefined) throw new RangeError(`${where}(${String(fd)}, …): this reactor has no socket with fd ${String(fd)}; create one with reactor.socket().`);
    return s;
  }

  #earliest(): [TimerId, Timer] | undefined {
    let best: [TimerId, Timer] | undefined;
    for (const entry of this.#timers) {
      const [, t] = entry;
      if (best === undefined || t.deadline < best[1].deadline || (t.deadline === best[1].deadline && t.seq < best[1].seq)) best = entry;
    }
    return best;
  }

  // Fires due timers one at a time, re-reading the earliest each time: a wake may register new timers.
  #fireDue(limit: number): number {
    let woken = 0;
    for (let e = this.#earliest(); e !== undefined && e[1].deadline <= limit; e = this.#earliest()) {
      const [id, t] = e;
      this.#timers.delete(id);
      this.#now = Math.max(this.#now, t.deadline);
      this.#maxLateness = Math.max(this.#maxLateness, this.#now - t.deadline);
      this.#fired += 1;
      woken += 1;
      noteTime(this.#now);
      t.waker.wake();
    }
    return woken;
  }

  #deliverIo(): number {
    let woken = 0;
    for (const s of this.#sockets.values()) {
      // Edge-triggered: only new data (or a spurious mark) makes an event; unread old data does not.
      if (s.interest.length === 0 || (!s.edge && !s.spurious)) continue;
      const wakers = s.interest;
      s.interest = [];
      s.edge = false;
      s.spurious = false;
      s.events += 1;
      for (const w of wakers) {
        woken += 1;
        w.wake();
      }
    }
    return woken;
  }
}
