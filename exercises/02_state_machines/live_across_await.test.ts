import { expect, test } from 'vitest';
import { banned, forceGc, pollWith, reachable, retainedAfter, seeded, spyWaker, SEEDS, type Waker } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { ParseAndSend, type Sender, type Summary } from './live_across_await';

const MIB = 1 << 20;

interface Input {
  raw: Uint8Array;
  rows: number;
  total: number;
  max: number;
}

// Building an input costs real time, so each seed's input is built once per file. Each use gets
// a fresh copy of the bytes, so nothing one test does to a buffer can affect another.
const inputs = new Map<number, Input>();

function makeInput(seed: number): Input {
  let input = inputs.get(seed);
  if (input === undefined) {
    input = buildInput(seed);
    inputs.set(seed, input);
  }
  return { ...input, raw: input.raw.slice() };
}

/**
 * ASCII lines, one number per line, and the figures a correct parse gives. The size is a little over
 * 1 MiB by default, different for each seed, so no constant can stand in for it.
 */
function buildInput(seed: number, size = MIB + seeded(seed ^ 0x5eed).int(1, 65_535)): Input {
  const rng = seeded(seed);
  const raw = new Uint8Array(size);
  let at = 0;
  let rows = 0;
  let total = 0;
  let max = 0;
  while (size - at > 6) {
    const n = rng.int(0, 9999);
    const s = String(n);
    for (let i = 0; i < s.length; i++) raw[at++] = s.charCodeAt(i);
    raw[at++] = 10;
    rows += 1;
    total += n;
    if (n > max) max = n;
  }
  raw.fill(10, at); // the tail is empty lines
  return { raw, rows, total, max };
}

/** The future `send` returns: Pending until the test calls `sender.ack()`. */
class SendFuture implements Future<number> {
  readonly summary: Summary;
  readonly ackNo: number;
  #acked = false;
  #waker: Waker | undefined;

  constructor(summary: Summary, ackNo: number) {
    this.summary = summary;
    this.ackNo = ackNo;
  }

  poll(cx: Context): Poll<number> {
    if (this.#acked) return Ready(this.ackNo);
    this.#waker = cx.waker.clone();
    return Pending;
  }

  ack(): void {
    this.#acked = true;
    const w = this.#waker;
    this.#waker = undefined;
    w?.wake();
  }
}

class FakeSender implements Sender {
  readonly sent: SendFuture[] = [];
  readonly ackNo: number;

  constructor(ackNo: number) {
    this.ackNo = ackNo;
  }

  send(summary: Summary): Future<number> {
    const f = new SendFuture(summary, this.ackNo);
    this.sent.push(f);
    return f;
  }
}

/** What the paused future holds, as the harness's walk sees it (pristine built-ins; getters not called). */
const held = (fut: unknown) => reachable(fut, { name: 'future' });

/** Heap plus ArrayBuffer memory in use, after a full collection. */
function liveBytes(): number {
  forceGc();
  forceGc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** One macrotask: a WeakRef keeps its target alive until the current job ends. */
const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));

test('keeps no large data while waiting (no buffer, rows or text)', () => {
  for (const seed of SEEDS.slice(0, 2)) {
    const input = makeInput(seed);
    const fut = new ParseAndSend(input.raw, new FakeSender(seed));
    const p = pollWith(fut, spyWaker('job'));
    expect(p.ready, 'the first poll should parse, start the send and return Pending while the send is in flight').toBe(false);
    const { big } = held(fut);
    expect(
      big,
      'while it waits for the send, the future still holds large data:\n  ' +
        big.join('\n  ') +
        '\nOnly what is used after the await should stay: work out the row count and the byte length ' +
        'before the send, and keep just those numbers in the AwaitSend state. (A string of the whole text is as big as the buffer.)',
    ).toEqual([]);
  }
});

test('keeps nothing large alive while waiting', async () => {
  for (const seed of SEEDS.slice(0, 2)) {
    const input = makeInput(seed);
    const sender = new FakeSender(seed);
    const spy = spyWaker('job');
    const before = liveBytes();
    // The buffer is made and handed over inside retainedAfter, so afterwards only the future
    // (and whatever the learner's module keeps) can hold it.
    const { retained, result } = await retainedAfter(
      () => input.raw.slice(),
      (raw) => {
        const fut = new ParseAndSend(raw, sender);
        return { fut, p: pollWith(fut, spy) };
      },
    );
    await nextTask();
    const grown = liveBytes() - before;
    expect(result.p.ready, 'the first poll should be Pending while the send is in flight').toBe(false);
    expect(
      retained,
      'while the future waits for the send, the 1 MB input buffer is still alive: something still refers to it ' +
        '(the state, a closure or getter, a private field, or a cache at module level). The paused future should ' +
        `keep only what is used after the await, and nothing else should keep the buffer either (seed ${seed}).`,
    ).toBe(false);
    expect(
      grown,
      `while the future waits for the send, ${Math.round(grown / 1024)} KiB more memory is alive than before it ` +
        'was made: the parsed rows (about 1.6 MiB) or the decoded text (1 MiB) are still held somewhere, in the ' +
        'future or outside it (a module-level cache counts). Keep just the numbers the receipt needs ' +
        `(seed ${seed}).`,
    ).toBeLessThan(256 * 1024);
    sender.sent[0]?.ack();
    expect(pollWith(result.fut, spy).ready, 'after the acknowledgement the future should finish').toBe(true);
  }
});

test('holds only plain data', () => {
  const input = makeInput(SEEDS[0] ?? 1);
  const fut = new ParseAndSend(input.raw, new FakeSender(1));
  pollWith(fut, spyWaker('job'));
  const { functions, opaque } = held(fut);
  // `functions` lists getters and setters too (`state.count<get>`): their closures count as much as any other.
  const code = [...functions, ...opaque.map((o) => `${o} (cannot be looked into)`)];
  expect(
    code,
    'the paused future holds function values:\n  ' +
      code.join('\n  ') +
      '\nA closure (a getter is one too) can hold the buffer where nobody sees it, and a Proxy hides what it holds. ' +
      'Keep numbers (and the send future) in the state, and put code in methods.',
  ).toEqual([]);
});

test('keeps its state in plain fields', () => {
  const f = banned(
    new URL('./live_across_await.ts', import.meta.url),
    ['private', 'WeakMap', 'WeakRef'],
    'the check looks through the future\'s own properties to see what it keeps; keep the state where it can look',
  );
  expect(f, f.join('\n')).toEqual([]);
});

test('returns the right receipt', () => {
  for (const seed of SEEDS.slice(0, 2)) {
    const input = makeInput(seed);
    const ackNo = seeded(seed + 1).int(1, 1e6);
    const sender = new FakeSender(ackNo);
    const fut = new ParseAndSend(input.raw, sender);
    const spy = spyWaker('job');
    expect(pollWith(fut, spy).ready, 'the first poll should be Pending while the send is in flight').toBe(false);
    expect(sender.sent.length, 'the first poll should start exactly one send').toBe(1);
    const sent = sender.sent[0];
    expect(
      sent?.summary,
      `the summary sent should describe the ${input.rows} rows (seed ${seed})`,
    ).toEqual({ rows: input.rows, total: input.total, max: input.max });
    sent?.ack();
    expect(spy.wakes, 'the acknowledgement should wake the task once').toBe(1);
    const p = pollWith(fut, spy);
    expect(
      p,
      `after the acknowledgement the receipt should carry the ack (${ackNo}), the number of rows (${input.rows}) ` +
        `and the size of the input in bytes (${input.raw.byteLength}) (seed ${seed})`,
    ).toEqual(Ready({ ack: ackNo, count: input.rows, bytes: input.raw.byteLength }));
    expect(held(fut).big, 'once finished, the future should hold no large data either').toEqual([]);
  }
  // Small inputs too, the empty one included: nothing here depends on the size.
  for (const seed of SEEDS) {
    for (const size of [0, 1, seeded(seed).int(2, 200)]) {
      const input = buildInput(seed, size);
      const sender = new FakeSender(seed);
      const fut = new ParseAndSend(input.raw, sender);
      const spy = spyWaker('job');
      pollWith(fut, spy);
      expect(sender.sent[0]?.summary, `a ${size}-byte input has ${input.rows} rows; the summary should say so`).toEqual({
        rows: input.rows,
        total: input.total,
        max: input.max,
      });
      sender.sent[0]?.ack();
      expect(
        pollWith(fut, spy),
        `for a ${size}-byte input the receipt should be { ack: ${seed}, count: ${input.rows}, bytes: ${size} }: ` +
          'work the numbers out from the input itself, whatever its size (seed ' +
          `${seed})`,
      ).toEqual(Ready({ ack: seed, count: input.rows, bytes: size }));
    }
  }
});
