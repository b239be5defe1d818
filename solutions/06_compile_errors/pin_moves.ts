// pin_moves: reference solution.
//
// Rust equivalent: (A) a parser holding an index is `Unpin`; (B) a self-referential one holds
// `PhantomPinned` and is polled only through `Pin<&mut Self>` (`Box::pin` / `pin!`).

import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { isPinned, NotPinned } from '../_lib/pinning';

const SPACE = 32;

/** The word in `buf` from `start` up to the next space (or the end). */
export function wordAt(buf: Uint8Array, start: number): { word: string; next: number } {
  let end = buf.indexOf(SPACE, start);
  if (end < 0) end = buf.length;
  return { word: String.fromCharCode(...buf.subarray(start, end)), next: end + 1 };
}

/** A window onto a buffer: the buffer and where the next word starts. */
export interface View {
  buf: Uint8Array;
  pos: number;
}

export class Parser implements Future<string[]> {
  /** An index is valid wherever the buffer lives, so a Parser may move at any time. Rust: `impl Unpin`. */
  static unpin = true;
  buf: Uint8Array;
  tick: () => Future<void>;
  words: string[] = [];
  waiting: Future<void> | undefined = undefined;
  pos = 0;

  constructor(buf: Uint8Array, tick: () => Future<void>) {
    this.buf = buf;
    this.tick = tick;
  }

  poll(cx: Context): Poll<string[]> {
    for (;;) {
      if (this.waiting !== undefined) {
        if (!this.waiting.poll(cx).ready) return Pending;
        this.waiting = undefined;
      }
      if (this.pos >= this.buf.length) return Ready(this.words);
      const { word, next } = wordAt(this.buf, this.pos);
      this.words.push(word);
      this.pos = next;
      this.waiting = this.tick();
    }
  }
}

export class StreamingParser implements Future<string[]> {
  buf: Uint8Array;
  tick: () => Future<void>;
  words: string[] = [];
  waiting: Future<void> | undefined = undefined;
  /** Callers may read the current window; it must stay a window onto `buf`. */
  view: View | undefined = undefined;

  constructor(buf: Uint8Array, tick: () => Future<void>) {
    this.buf = buf;
    this.tick = tick;
  }

  poll(cx: Context): Poll<string[]> {
    // The view points into this object, so from here on it must never move.
    if (!isPinned(this)) throw new NotPinned('StreamingParser');
    // Not in the constructor: until its first poll the parser may still be moved.
    this.view ??= { buf: this.buf, pos: 0 };
    for (;;) {
      if (this.waiting !== undefined) {
        if (!this.waiting.poll(cx).ready) return Pending;
        this.waiting = undefined;
      }
      if (this.view.pos >= this.view.buf.length) return Ready(this.words);
      const { word, next } = wordAt(this.view.buf, this.view.pos);
      this.words.push(word);
      this.view.pos = next;
      this.waiting = this.tick();
    }
  }
}
