// @rejects keeps no large data while waiting
// Mistake: the shipped code: the AwaitSend state keeps the 1 MB buffer and the parsed rows, because the receipt reads them after the await.
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
