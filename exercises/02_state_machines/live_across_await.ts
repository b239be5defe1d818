// live_across_await: a paused async function keeps only what it still needs.
//
// Written as an async function, the job is:
//
//     async fn parse_and_send(raw: Vec<u8>, sender: &Sender) -> Receipt {
//         let rows = parse_rows(&raw);            // 1 MB in, ~200 000 numbers out
//         let summary = summarize(&rows);         // three numbers
//         let ack = sender.send(summary).await;   // <- paused here for a while
//         Receipt { ack, count: rows.len(), bytes: raw.len() }
//     }
//
// The state machine the compiler makes stores, in the state for that
// `.await`, every local that is used *after* it. Here that is `rows` and
// `raw`, only because the receipt reads `rows.len()` and `raw.len()` at the
// end. So while the send is in flight, and it may be in flight for seconds
// while thousands of such jobs wait, each paused job holds on to its whole
// 1 MB buffer and its parsed rows.
//
// `ParseAndSend` below is that state machine, written out by hand. It works,
// but its `AwaitSend` state carries `raw` and `rows`.
//
// Goal: work out before the await everything the end of the function needs,
// and keep only that (a few numbers) in the `AwaitSend` state. The checks
// look through the future's properties right after its first Pending: no
// large buffer, array or string may be reachable from it, the states hold
// plain data (no functions or getters, which could hide the buffer in a
// closure), and the file has no private fields. They also measure memory:
// while the future waits, the input buffer must be free to be collected and
// no large data may stay alive anywhere, a cache at module level included.
//
// TODO: change the `AwaitSend` state type so it keeps only what is needed
//       after the send, and compute `count` and `bytes` before the send.
//
// Rust equivalent: only locals live across `.await` are stored in the future; a big one bloats it
// (clippy::large_futures) and a !Send one makes the whole future !Send. Drop it before the await.

import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

/** What is sent: a small digest of the rows. */
export interface Summary {
  rows: number;
  total: number;
  max: number;
}

/** What the job returns. */
export interface Receipt {
  ack: number;
  count: number;
  bytes: number;
}

/** Sends a summary somewhere; the future outputs the receiver's acknowledgement number. */
export interface Sender {
  send(summary: Summary): Future<number>;
}

/** Parses the buffer: one decimal number per line (ASCII, '\n'-separated). Do not change. */
export function parseRows(raw: Uint8Array): number[] {
  const text = new TextDecoder().decode(raw);
  const rows: number[] = [];
  for (const line of text.split('\n')) if (line !== '') rows.push(Number(line));
  return rows;
}

/** Digests the rows. Do not change. */
export function summarize(rows: readonly number[]): Summary {
  let total = 0;
  let max = 0;
  for (const r of rows) {
    total += r;
    if (r > max) max = r;
  }
  return { rows: rows.length, total, max };
}

export type ParseAndSendState =
  | { tag: 'Start'; raw: Uint8Array }
  | { tag: 'AwaitSend'; raw: Uint8Array; rows: number[]; send: Future<number> }
  | { tag: 'Done' };

export class ParseAndSend implements Future<Receipt> {
  readonly sender: Sender;
  state: ParseAndSendState;

  constructor(raw: Uint8Array, sender: Sender) {
    this.sender = sender;
    this.state = { tag: 'Start', raw };
  }

  poll(cx: Context): Poll<Receipt> {
    for (;;) {
      const state = this.state;
      switch (state.tag) {
        case 'Start': {
          const rows = parseRows(state.raw);
          const summary = summarize(rows);
          this.state = { tag: 'AwaitSend', raw: state.raw, rows, send: this.sender.send(summary) };
          continue;
        }
        case 'AwaitSend': {
          const p = state.send.poll(cx);
          if (!p.ready) return Pending;
          this.state = { tag: 'Done' };
          return Ready({ ack: p.value, count: state.rows.length, bytes: state.raw.byteLength });
        }
        case 'Done':
          throw new Error('ParseAndSend polled after it returned Ready');
      }
    }
  }
}
