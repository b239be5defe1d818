import { expect, test } from 'vitest';
import { banned, pollWith, seeded, sleep, spyWaker, SEEDS, VirtualReactor, type Rng } from 'async-lessons/harness';
import { type Future } from '../_lib/future';
import { isPinned, move, MovedWhilePinned, NotPinned, pin } from '../_lib/pinning';
import { Parser, StreamingParser } from './pin_moves';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Some words, their bytes, and a tick of a random length between words. */
function input(rng: Rng) {
  const words = Array.from({ length: rng.int(3, 7) }, () =>
    Array.from({ length: rng.int(1, 8) }, () => LETTERS[rng.int(0, 25)]).join(''),
  );
  const text = words.join(' ');
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const reactor = new VirtualReactor();
  const gap = rng.int(5, 50);
  const tick = (): Future<void> => sleep(reactor, gap);
  return { words, bytes, reactor, tick };
}

const shown = (words: unknown) => JSON.stringify(words).replace(/\\u0000/g, '\\0');

test('Parser keeps working when it is moved between polls', () => {
  for (const seed of SEEDS) {
    const { words, bytes, reactor, tick } = input(seeded(seed));
    const spy = spyWaker('task');
    let parser = new Parser(bytes, tick);
    let out: unknown;
    for (let polls = 0; polls < 50; polls++) {
      const p = pollWith(parser, spy);
      if (p.ready) {
        out = p.value;
        break;
      }
      parser = move(parser); // the executor moved the future between two polls
      reactor.turn();
    }
    expect(
      out,
      `a Parser moved after every poll should still give ${shown(words)}, but gave ${shown(out)}. ` +
        'After a move, a reference the parser kept into its own old place (like view.buf) points at wiped memory; ' +
        `keep an index instead and read this.buf each time (seed ${seed}).`,
    ).toEqual(words);
  }
});

test('Parser reads one word per tick', () => {
  for (const seed of SEEDS.slice(0, 4)) {
    const { words, bytes, reactor, tick } = input(seeded(seed));
    let ticks = 0;
    const counted = (): Future<void> => ((ticks += 1), tick());
    const spy = spyWaker('task');
    let parser = new Parser(bytes, counted);
    const seen: number[] = [];
    let out: unknown;
    for (let polls = 0; polls < 50 && out === undefined; polls++) {
      const p = pollWith(parser, spy);
      if (p.ready) out = p.value;
      else {
        seen.push(parser.words.length);
        parser = move(parser);
        reactor.turn();
      }
    }
    expect(out, `the parser should still give every word (seed ${seed})`).toEqual(words);
    expect(
      seen,
      `after each Pending poll the parser should have read one more word, waiting for a tick between words, as shipped (seed ${seed}); ` +
        'it read this many words by each poll',
    ).toEqual(words.map((_, i) => i + 1));
    expect(ticks, `one tick after each word (seed ${seed})`).toBe(words.length);
  }
});

test('Parser is Unpin: a pinned Parser may still move', () => {
  const { words, bytes, reactor, tick } = input(seeded(SEEDS[1]!));
  expect(
    (Parser as { unpin?: unknown }).unpin,
    'Parser keeps no reference into itself any more, so say so: `static unpin = true` (Rust: the type is Unpin)',
  ).toBe(true);
  const spy = spyWaker('task');
  let parser = pin(new Parser(bytes, tick));
  expect(pollWith(parser, spy).ready, 'the parser should wait for its first tick').toBe(false);
  expect(() => (parser = move(parser)), 'moving a pinned Unpin value is allowed').not.toThrow();
  let out: unknown;
  for (let polls = 0; polls < 50 && out === undefined; polls++) {
    reactor.turn();
    const p = pollWith(parser, spy);
    if (p.ready) out = p.value;
  }
  expect(out, 'and the moved parser still gives every word').toEqual(words);
});

test('StreamingParser may move before its first poll', () => {
  for (const seed of SEEDS) {
    const { words, bytes, reactor, tick } = input(seeded(seed));
    const spy = spyWaker('task');
    // Objects are not created pinned: built in one place, moved into the task, pinned there.
    const parser = pin(move(move(new StreamingParser(bytes, tick))));
    let out: unknown;
    for (let polls = 0; polls < 50 && out === undefined; polls++) {
      const p = pollWith(parser, spy);
      if (p.ready) out = p.value;
      else reactor.turn();
    }
    expect(
      out,
      `a StreamingParser moved twice before it was pinned and polled should give ${shown(words)}, but gave ${shown(out)}. ` +
        `Until its first poll it may move, so it must not point into itself yet: set view up on the first poll, not in the constructor (seed ${seed}).`,
    ).toEqual(words);
  }
});

test('a pinned StreamingParser parses every word and keeps its view on buf', () => {
  for (const seed of SEEDS) {
    const { words, bytes, reactor, tick } = input(seeded(seed));
    const spy = spyWaker('task');
    const parser = pin(new StreamingParser(bytes, tick));
    let out: unknown;
    let expectedPos = 0;
    for (let polls = 0; polls < 50 && out === undefined; polls++) {
      const p = pollWith(parser, spy);
      if (p.ready) {
        out = p.value;
        break;
      }
      expectedPos += (words[polls]?.length ?? 0) + 1;
      const view = parser.view;
      expect(view?.buf, 'after a poll, StreamingParser.view.buf should be the parser’s own buf (callers read through it)').toBe(parser.buf);
      expect(view?.pos, `after poll ${polls + 1}, view.pos should be where the next word starts (seed ${seed})`).toBe(expectedPos);
      reactor.turn();
    }
    expect(out, `a pinned StreamingParser should give every word (seed ${seed})`).toEqual(words);
    expect(isPinned(parser), 'the parser stays pinned').toBe(true);
  }
});

test('moving a pinned StreamingParser is refused', () => {
  const { bytes, tick } = input(seeded(SEEDS[2]!));
  const spy = spyWaker('task');
  const parser = pin(new StreamingParser(bytes, tick));
  expect(pollWith(parser, spy).ready, 'the parser should wait for its first tick').toBe(false);
  let thrown: unknown;
  try {
    move(parser);
  } catch (e) {
    thrown = e;
  }
  expect(
    thrown instanceof MovedWhilePinned,
    'move() of a pinned StreamingParser should throw MovedWhilePinned: it points into itself, so it must stay !Unpin (no `static unpin = true` on it)',
  ).toBe(true);
});

test('polling an unpinned StreamingParser throws NotPinned', () => {
  for (const seed of SEEDS.slice(0, 3)) {
    const { bytes, tick } = input(seeded(seed));
    const spy = spyWaker('task');
    const parser = new StreamingParser(bytes, tick);
    let thrown: unknown;
    try {
      pollWith(parser, spy);
    } catch (e) {
      thrown = e;
    }
    expect(
      thrown instanceof NotPinned,
      `polling a StreamingParser that nobody pinned should throw new NotPinned('StreamingParser'), but it ${thrown === undefined ? 'ran' : `threw ${String(thrown)}`}: ` +
        'once it has polled it points into itself, so it must be pinned first (Rust: poll takes Pin<&mut Self>)',
    ).toBe(true);
    expect(String(thrown), "the NotPinned error should name the parser: new NotPinned('StreamingParser')").toContain('StreamingParser was polled');
    expect(parser.words, 'and it should refuse before it parses anything').toEqual([]);
    expect(spy.wakes, 'a refused poll wakes nobody').toBe(0);
  }
});

test('an empty buffer gives no words', () => {
  const { reactor, tick } = input(seeded(SEEDS[3]!));
  const spy = spyWaker('task');
  for (const parser of [new Parser(new Uint8Array(0), tick), pin(new StreamingParser(new Uint8Array(0), tick))]) {
    const p = pollWith(parser, spy);
    expect(p.ready ? p.value : 'Pending', `${parser.constructor.name} of an empty buffer should be Ready with no words on its first poll`).toEqual([]);
  }
  expect(reactor.pendingTimers, 'and wait for no tick').toBe(0);
});

test('no private fields', () => {
  const findings = banned(
    new URL('./pin_moves.ts', import.meta.url),
    ['private', 'any', 'as', 'ts-directives'],
    'a move copies every field, and the checks have to see them all',
  );
  expect(findings, findings.join('\n')).toEqual([]);
});
