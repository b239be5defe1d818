// @rejects returns the right receipt
// Mistake: takes "1 MB in" literally and writes the byte count as the constant 1 MiB instead of keeping raw.byteLength, which is right only for inputs of exactly that size.
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

/** Every job reads one 1 MiB buffer ("1 MB in"). */
const INPUT_BYTES = 1 << 20;

export type ParseAndSendState =
  | { tag: 'Start'; raw: Uint8Array }
  // Only what the code after the await reads: two numbers and the send itself.
  | { tag: 'AwaitSend'; count: number; bytes: number; send: Future<number> }
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
          // Everything that needs the buffer or the rows happens here, before the await.
          const rows = parseRows(state.raw);
          const summary = summarize(rows);
          // Replacing the state drops the Start state and, with it, our last reference to `raw`;
          // `rows` is a local of this poll and goes away when the poll returns. In Rust the
          // compiler sees that neither is used after the await and leaves both out of the enum.
          this.state = {
            tag: 'AwaitSend',
            count: rows.length,
            bytes: INPUT_BYTES,
            send: this.sender.send(summary),
          };
          continue;
        }
        case 'AwaitSend': {
          const p = state.send.poll(cx);
          if (!p.ready) return Pending;
          this.state = { tag: 'Done' };
          return Ready({ ack: p.value, count: state.count, bytes: state.bytes });
        }
        case 'Done':
          throw new Error('ParseAndSend polled after it returned Ready');
      }
    }
  }
}
