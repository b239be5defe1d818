// @rejects holds only plain data
// Mistake: stores a closure that builds the receipt later; the closure captures the buffer and the rows, so they stay alive while the future waits.
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
  | { tag: 'AwaitSend'; finish: (ack: number) => Receipt; send: Future<number> }
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
          // The closure looks small, but it captures `raw` and `rows`.
          const raw = state.raw;
          const finish = (ack: number): Receipt => ({ ack, count: rows.length, bytes: raw.byteLength });
          this.state = { tag: 'AwaitSend', finish, send: this.sender.send(summary) };
          continue;
        }
        case 'AwaitSend': {
          const p = state.send.poll(cx);
          if (!p.ready) return Pending;
          this.state = { tag: 'Done' };
          return Ready(state.finish(p.value));
        }
        case 'Done':
          throw new Error('ParseAndSend polled after it returned Ready');
      }
    }
  }
}
