// desugar_sequence: write by hand the state machine a compiler makes from an
// async function.
//
// Here is the async function, in Rust:
//
//     async fn fetch_sum(db: &Db) -> u32 {
//         let a = db.get("a").await;
//         let b = db.get(&key_for(a)).await;
//         a + b
//     }
//
// The compiler turns it into a value with one state per place the function
// can be paused, and a `poll` method that resumes from the current state.
// `FetchSum` below is that value. Its states are already declared:
//
//     Start ──poll──▶ AwaitA{fut} ──a ready──▶ AwaitB{a, fut} ──b ready──▶ Done
//
// Goal: write `poll`. Like the compiled code, it must:
//   - do nothing until the first poll (the constructor only stores `db`);
//   - in each state, poll the child future it is waiting for. If the child is
//     Pending, return Pending: the child has arranged a wake-up for this task.
//     If it is Ready, move to the next state and keep going *in the same
//     poll*: `key_for(a)` can be computed and `db.get` called right away;
//   - create the second `db.get` only once `a` is known, and each child once;
//   - throw if it is polled again after it returned Ready;
//   - `drop()` (cancel) drops the child future it is waiting on, if any, and
//     moves to Done, so a later poll throws; a second drop does nothing.
//
// TODO: replace the body of `poll` with a loop around a `switch` on
//       `this.state.tag`: each case either returns (Pending or Ready) or
//       sets the next state and goes round the loop again.
// TODO: write `drop`: a paused machine owns its child, so cancelling the
//       machine cancels the child (Rust drops the enum and with it the field).
//
// Rust equivalent: the compiler emits roughly
// `enum FetchSum { Start, AwaitA(GetFut), AwaitB { a, fut }, Done }` and `impl Future for FetchSum`.

import { type Context, type Future, type Poll } from '../_lib/future';

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
    void cx;
    throw new Error(`TODO: write FetchSum.poll (the state is ${this.state.tag})`);
  }

  drop(): void {
    // TODO: drop the child future of the current state, if it has one.
  }
}

/** What calling `fetch_sum(db)` gives you: the state machine, in its Start state. */
export function fetchSum(db: Db): FetchSum {
  return new FetchSum(db);
}
