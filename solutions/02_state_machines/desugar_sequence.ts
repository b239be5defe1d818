// desugar_sequence: reference solution.
//
// Rust equivalent: the compiler emits roughly
// `enum FetchSum { Start, AwaitA(GetFut), AwaitB { a, fut }, Done }` and `impl Future for FetchSum`.

import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

/** A key-value store whose lookups are futures. */
export interface Db {
  /** Looks up `key`. Nothing happens until the returned future is polled. */
  get(key: string): Future<number>;
}

/** The key of the second lookup, which depends on the first value. Do not change. */
export function keyFor(a: number): string {
  return `item-${a}`;
}

/** Everything `fetch_sum` has to remember at each point where it can pause. */
export type FetchSumState =
  | { tag: 'Start' }
  | { tag: 'AwaitA'; fut: Future<number> }
  | { tag: 'AwaitB'; a: number; fut: Future<number> }
  | { tag: 'Done' };

export class FetchSum implements Future<number> {
  readonly db: Db;
  state: FetchSumState = { tag: 'Start' };

  constructor(db: Db) {
    this.db = db;
  }

  poll(cx: Context): Poll<number> {
    // One trip round the loop per state change. A case leaves the loop only
    // by returning: Pending when a child is not ready (the child has handed
    // cx.waker to whatever will finish it), Ready at the end. Returning
    // Pending right after a transition would stall: nobody was asked to wake
    // us, because the new child has not been polled yet.
    for (;;) {
      const state = this.state;
      switch (state.tag) {
        case 'Start':
          // `let a = db.get("a")` — the first child, created on the first poll.
          this.state = { tag: 'AwaitA', fut: this.db.get('a') };
          continue;
        case 'AwaitA': {
          const p = state.fut.poll(cx);
          if (!p.ready) return Pending;
          // `a` is live across the next await, so it moves into AwaitB.
          const a = p.value;
          this.state = { tag: 'AwaitB', a, fut: this.db.get(keyFor(a)) };
          continue;
        }
        case 'AwaitB': {
          const p = state.fut.poll(cx);
          if (!p.ready) return Pending;
          this.state = { tag: 'Done' };
          return Ready(state.a + p.value);
        }
        case 'Done':
          // Rust's generated code panics here: "`async fn` resumed after completion".
          throw new Error('FetchSum polled after it returned Ready (or was dropped)');
      }
    }
  }

  drop(): void {
    // Cancelling the machine cancels what its current state owns: the lookup it
    // is waiting on. Rust does this by dropping the enum, which drops the
    // `GetFut` inside the current variant. Done afterwards, so a later poll
    // throws and a second drop finds nothing to drop.
    const state = this.state;
    this.state = { tag: 'Done' };
    if (state.tag === 'AwaitA' || state.tag === 'AwaitB') state.fut.drop?.();
  }
}

/** What calling `fetch_sum(db)` gives you: the state machine, in its Start state. */
export function fetchSum(db: Db): FetchSum {
  return new FetchSum(db);
}
