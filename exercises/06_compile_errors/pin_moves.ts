// pin_moves: a future that points into itself breaks when it moves.
//
// "Since async Rust often depends on more complex language features, such as
// lifetimes and pinning, you may encounter these types of errors more
// frequently."
//
// Both parsers below split their bytes into words, one word per tick (the
// `tick()` future stands in for whatever the parser awaits between words). On
// their first poll they set up `view`, a window onto their own `buf`:
//
//     parser ──buf──▶ [h e l l o ␠ w o r l d]
//        └──view.buf ──────▲        (view.pos = 6)
//
// In Rust a future is moved around freely until it is pinned (handed to an
// executor, put in a Box). `move(f)` from the course library does what a Rust
// move does: it copies the fields to a new object, copies the bytes `buf`
// owns to new memory, and wipes the old place. `view.buf` still points at the
// old place, so after a move the parser reads zeros. Nothing throws; the words
// just come out wrong.
//
// There are two ways out, one for each parser:
//   (A) `Parser` need not point into itself: keep only the position (an index
//       is valid wherever the buffer lives) and say so with `static unpin = true`
//       (Rust: the type is Unpin, so moving it is always fine, pinned or not).
//   (B) `StreamingParser` lends `view` to its callers, so it has to keep it.
//       It must refuse to run until it is pinned: its `poll` throws
//       `new NotPinned('StreamingParser')` unless `isPinned(this)`. A value is
//       not created pinned: until its first poll it may be moved, so set `view`
//       up on the first poll, not in the constructor. It stays `!Unpin` (no
//       `static unpin`), so `move` of a pinned one throws `MovedWhilePinned`.
//
// Rules: no `#private` or `private` fields (a move copies every field, and the
// checks must see them all); words are separated by single spaces.
//
// TODO (A): Parser — replace `view` with a position and mark the class Unpin.
// TODO (B): StreamingParser — set `view` up on the first poll, and refuse to
//           be polled unpinned.
//
// Rust equivalent: `fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>)`; a
// self-referential future holds `PhantomPinned` (it is `!Unpin`), so only
// `Box::pin(f)` / `pin!(f)` can poll it, and "objects are not created pinned".

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
  buf: Uint8Array;
  tick: () => Future<void>;
  words: string[] = [];
  waiting: Future<void> | undefined = undefined;
  view: View | undefined = undefined;

  constructor(buf: Uint8Array, tick: () => Future<void>) {
    this.buf = buf;
    this.tick = tick;
  }

  poll(cx: Context): Poll<string[]> {
    this.view ??= { buf: this.buf, pos: 0 }; // points into this very object
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

export class StreamingParser implements Future<string[]> {
  buf: Uint8Array;
  tick: () => Future<void>;
  words: string[] = [];
  waiting: Future<void> | undefined = undefined;
  /** Callers may read the current window; it must stay a window onto `buf`. */
  view: View;

  constructor(buf: Uint8Array, tick: () => Future<void>) {
    this.buf = buf;
    this.tick = tick;
    this.view = { buf: this.buf, pos: 0 };
  }

  poll(cx: Context): Poll<string[]> {
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
