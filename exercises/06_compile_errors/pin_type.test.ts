import { readFileSync } from 'node:fs';
import { expect, test, vi } from 'vitest';
import { banned, scan, seeded, spyWaker, SEEDS } from 'async-lessons/harness';
import { Pending, type Context, type Poll } from '../_lib/future';
import { isPinned, NotPinned, pinNew, type Pin } from '../_lib/pinning';
import { Plain, SelfRef, blockOnBoth, boxPin } from './pin_type';

const FILE = new URL('./pin_type.ts', import.meta.url);

// Every value handed to the library's pinNew, whichever way the learner's file reaches it. The type
// of the argument can be widened (to PinFuture<T>, or any interface without the marker), which
// makes pinNew's Unpin check pass; the value itself still holds PhantomPinned, so look at that.
const pinNewSaw = vi.hoisted(() => {
  // Hoisted above the imports: these are the real functions even if the learner's module replaces them.
  const ownKeys = Reflect.ownKeys;
  const get = Reflect.get;
  const notUnpin: string[] = [];
  return { ownKeys, get, notUnpin };
});
vi.mock('../_lib/pinning', async (importOriginal) => {
  const real = await importOriginal<typeof import('../_lib/pinning')>();
  return {
    ...real,
    pinNew: (value: object) => {
      for (const key of pinNewSaw.ownKeys(value)) {
        if (pinNewSaw.get(value, key) === real.PhantomPinned) pinNewSaw.notUnpin.push(value.constructor.name);
      }
      return real.pinNew(value);
    },
  };
});

test('blockOnBoth gives both outputs', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(-1000, 1000);
    const text = `text-${rng.int(0, 99999)}`;
    const spy = spyWaker('block_on');
    const b = new SelfRef(text);
    const got = blockOnBoth(new Plain(n), b, { waker: spy.waker });
    expect(got, `blockOnBoth(new Plain(${n}), new SelfRef('${text}')) should give [${n}, '${text}'] (seed ${seed})`).toEqual([n, text]);
    expect(isPinned(b), 'the SelfRef should have been pinned for good (boxPin calls pin()) before it was polled').toBe(true);
    expect(spy.wakes, 'the SelfRef wakes once, between its two polls').toBe(1);
  }
});

/** Subclasses that count polls, so a finished future polled again (or a lost bound) shows. */
class CountedPlain extends Plain {
  polls = 0;
  override poll(this: Pin<this>, cx: Context): Poll<number> {
    this.polls++;
    return super.poll(cx);
  }
}
class CountedSelfRef extends SelfRef {
  polls = 0;
  readonly never: boolean;
  constructor(text: string, never = false) {
    super(text);
    this.never = never;
  }
  override poll(this: Pin<this>, cx: Context): Poll<string> {
    this.polls++;
    return this.never ? Pending : super.poll(cx);
  }
}

test('each future is polled until Ready, and not after', () => {
  const a = new CountedPlain(3);
  const b = new CountedSelfRef('z');
  const spy = spyWaker('block_on');
  expect(blockOnBoth(a, b, { waker: spy.waker })).toEqual([3, 'z']);
  expect([a.polls, b.polls], 'Plain is Ready on its first poll and SelfRef on its second; neither is polled after it returned Ready').toEqual([1, 2]);
});

test('blockOnBoth gives up after 10 polls', () => {
  const b = new CountedSelfRef('never', true);
  const spy = spyWaker('block_on');
  expect(() => blockOnBoth(new Plain(1), b, { waker: spy.waker }), 'a future that never finishes should make blockOnBoth throw').toThrow('did not finish in 10 polls');
  expect(b.polls, 'after exactly 10 polls').toBe(10);
});

test('boxPin pins the very object it is given', () => {
  for (const seed of SEEDS.slice(0, 3)) {
    const text = `t${seeded(seed).int(0, 999)}`;
    const f = new SelfRef(text);
    const p = boxPin(f);
    expect(p, 'boxPin(f) should give back f itself, now pinned (this course does not copy it to a heap)').toBe(f);
    expect(isPinned(f), "boxPin(f) should mark f pinned with the library's pin(f)").toBe(true);
    const spy = spyWaker('task');
    expect(p.poll({ waker: spy.waker }).ready, 'a boxed SelfRef polls: first Pending').toBe(false);
    const second = p.poll({ waker: spy.waker });
    expect(second.ready ? second.value : 'Pending', 'then Ready with its text').toBe(text);
    const plain = { n: 1 };
    expect(boxPin(plain), 'boxPin works on any object').toBe(plain);
    expect(isPinned(plain), 'and pins it').toBe(true);
  }
});

test('Plain is pinned with pinNew, which costs nothing', () => {
  const a = new Plain(7);
  const spy = spyWaker('block_on');
  blockOnBoth(a, new SelfRef('x'), { waker: spy.waker });
  expect(
    isPinned(a),
    'the Plain future was boxed: it is Unpin, so pinNew(a) pins it where it is, for free (Rust: Pin::new(&mut a)); keep boxPin for the SelfRef',
  ).toBe(false);
  expect(pinNew(a), 'pinNew gives the value itself').toBe(a);
});

test('pinNew is given Unpin values only', () => {
  pinNewSaw.notUnpin.length = 0;
  for (const seed of SEEDS.slice(0, 3)) {
    const n = seeded(seed).int(0, 99);
    const spy = spyWaker('block_on');
    expect(blockOnBoth(new Plain(n), new SelfRef(`s${n}`), { waker: spy.waker })).toEqual([n, `s${n}`]);
  }
  expect(
    pinNewSaw.notUnpin,
    'pinNew was handed a value that holds PhantomPinned (so it is !Unpin), under a type that no longer says so. ' +
      'Rust: Pin::new refuses a !Unpin future whatever you call it; pin the SelfRef with boxPin and use its Pin directly',
  ).toEqual([]);
});

test('SelfRef still refuses to run unpinned', () => {
  const spy = spyWaker('task');
  const f = new SelfRef('y');
  let thrown: unknown;
  try {
    Reflect.apply(SelfRef.prototype.poll, f, [{ waker: spy.waker }]);
  } catch (e) {
    thrown = e;
  }
  expect(thrown instanceof NotPinned, 'SelfRef.poll on an unpinned value should throw NotPinned, as shipped; do not change SelfRef').toBe(true);
  expect(String(thrown), 'naming SelfRef').toContain('SelfRef was polled');
});

/** The line range of `export function boxPin … }` in the learner's file (by braces, not by pattern). */
function boxPinLines(text: string): [number, number] | undefined {
  const start = text.indexOf('export function boxPin');
  if (start < 0) return undefined;
  const open = text.indexOf('{', text.indexOf(')', start));
  let depth = 0;
  let end = open;
  for (; end < text.length; end++) {
    if (text[end] === '{') depth++;
    if (text[end] === '}' && --depth === 0) break;
  }
  const line = (i: number) => text.slice(0, i).split('\n').length;
  return [line(start), line(end)];
}

test('the only cast is inside boxPin', () => {
  const casts = scan(FILE, ['as']);
  const range = boxPinLines(readFileSync(FILE, 'utf8'));
  expect(range, 'pin_type.ts should export a function named boxPin').toBeDefined();
  const outside = casts.filter((c) => range === undefined || c.line < range[0] || c.line > range[1]);
  expect(
    outside.map((c) => c.message),
    'a cast outside boxPin promises a Pin the type checker could not check; use pinNew or boxPin at the call sites',
  ).toEqual([]);
  expect(casts.length, 'boxPin needs exactly one cast (the promise it makes), and nothing else does').toBe(1);
});

test('no any or ts directives', () => {
  const findings = banned(FILE, ['any', 'ts-directives'], 'pinning errors are fixed by pinning, not by silencing the checker');
  expect(findings, findings.join('\n')).toEqual([]);
});

test('poll is called on a Pin, not around it', () => {
  // A method copied into a plain function type loses its `this: Pin<this>` check; calling it back
  // on the unpinned value with call/apply/bind/Reflect then compiles. Rust has no such door.
  const findings = banned(
    FILE,
    ['Reflect', 'call', 'apply', 'bind', 'Function'],
    'calling poll through call/apply/bind/Reflect skips the Pin check; pin the future and call .poll on the Pin',
  );
  expect(findings, findings.join('\n')).toEqual([]);
});
