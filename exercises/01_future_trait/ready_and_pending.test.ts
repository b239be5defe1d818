import { expect, test, vi } from 'vitest';
import { pollWith, seeded, SEEDS, spyWaker, TestExecutor, VirtualReactor, pristine } from 'async-lessons/harness';
import * as lib from '../_lib/future';
import { pending, pollFn, ready } from './ready_and_pending';

// The course library has its own ready, pending and pollFn. Every future they make is recorded
// here, whichever way the learner's file reaches the library (any import spelling, a wrapper
// function, a re-export), so a check can tell a borrowed future from one written here.
const libMade = vi.hoisted(() => {
  // Hoisted above the imports, so this runs before the learner's module: the WeakSet methods
  // are the real ones even if that module later changes WeakSet.prototype.
  const set = new WeakSet<object>();
  const { add, has } = WeakSet.prototype;
  const apply = Reflect.apply;
  return { add: (o: object) => void apply(add, set, [o]), has: (o: object): boolean => apply(has, set, [o]) };
});
vi.mock('../_lib/future', async (importOriginal) => {
  const real = await importOriginal<typeof import('../_lib/future')>();
  const record =
    <A extends unknown[], R extends object>(make: (...args: A) => R) =>
    (...args: A): R => {
      const made = make(...args);
      libMade.add(made);
      return made;
    };
  return { ...real, ready: record(real.ready), pending: record(real.pending), pollFn: record(real.pollFn) };
});

/** Polls once; a throw becomes a failed expectation that names the future. */
function pollOnce<T>(what: string, poll: () => lib.Poll<T>): lib.Poll<T> {
  try {
    return poll();
  } catch (error) {
    expect.fail(`${what} threw on a poll: ${error instanceof Error ? error.message : String(error)}`);
  }
}

test('ready is Ready on the first poll', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(1, 1_000_000);
    const spy = spyWaker();
    const first = pollOnce(`ready(${n})`, () => pollWith(ready(n), spy));
    expect(
      first,
      `ready(${n}) has its value from the start, so its first poll should give ` +
        `{ ready: true, value: ${n} } (seed ${seed})`,
    ).toEqual({ ready: true, value: n });
    expect(spy.wakes, 'a future that is ready at once has no reason to wake anybody').toBe(0);

    const obj = { id: n };
    const r = pollOnce('ready(obj)', () => pollWith(ready(obj), spyWaker()));
    expect(r.ready && r.value, 'ready(obj) should hand back obj itself, not a copy').toBe(obj);

    const ex = new TestExecutor();
    const handle = ex.spawn('ready', ready(`v${n}`));
    ex.runUntilStalled();
    expect(handle.done && handle.result, `an executor should get "v${n}" out of ready("v${n}")`).toBe(`v${n}`);
    expect(handle.polls, 'an executor should need exactly one poll to finish ready(...)').toBe(1);
  }
});

test('ready works for every value, falsy ones too', () => {
  for (const value of [undefined, null, 0, -0, '', false, Number.NaN, 0n]) {
    const shown = typeof value === 'bigint' ? `${value}n` : pristine.Object.is(value, -0) ? '-0' : typeof value === 'string' ? '""' : String(value);
    const fut = ready(value);
    const spy = spyWaker();
    const first = pollOnce(`ready(${shown})`, () => pollWith(fut, spy));
    expect(
      first.ready && pristine.Object.is(first.value, value),
      `ready(${shown}) should be Ready(${shown}) on its first poll: ${shown} is a value like any other. ` +
        'Remember "already polled" in a flag of its own, not by looking at the value.',
    ).toBe(true);
    expect(() => pollWith(fut, spy), `a second poll of ready(${shown}) should throw "polled after completion"`).toThrow(
      /polled after completion/,
    );
  }
});

test('ready throws if polled again', () => {
  for (const seed of SEEDS) {
    const n = seeded(seed).int(1, 1000);
    const fut = ready(n);
    const spy = spyWaker();
    const first = pollOnce(`ready(${n})`, () => pollWith(fut, spy));
    expect(first.ready, `the first poll of ready(${n}) should be Ready (seed ${seed})`).toBe(true);
    expect(
      () => pollWith(fut, spy),
      'polling ready(...) again after it returned Ready should throw an Error whose message ' +
        'contains "polled after completion": a finished future has nothing more to give, and ' +
        'handing the value out twice would hide the bug in the caller',
    ).toThrow(/polled after completion/);
    expect(() => pollWith(fut, spy), 'every later poll should throw as well').toThrow(/polled after completion/);
  }
});

test('pending stays Pending and never wakes', () => {
  const fut = pending<number>();
  const spy = spyWaker();
  for (let i = 1; i <= 100; i++) {
    const p = pollOnce('pending()', () => pollWith(fut, spy));
    expect(p.ready, `poll ${i} of pending() should be Pending: it never finishes`).toBe(false);
  }
  expect(
    spy.wakes,
    'pending() should never call wake(): nothing will ever change, so a wake would only make ' +
      'the executor poll it again for nothing, over and over',
  ).toBe(0);

  const ex = new TestExecutor();
  const handle = ex.spawn('forever', pending<string>());
  const polls = ex.runUntilStalled({ maxPolls: 20 });
  expect(polls, 'an executor should poll pending() once and then leave it asleep').toBe(1);
  expect(handle.done, 'pending() should still be unfinished after the executor ran').toBe(false);
});

test('pending keeps no waker', () => {
  for (const seed of SEEDS) {
    const fut = pending<number>();
    const spies = Array.from({ length: seeded(seed).int(2, 5) }, (_, i) => spyWaker(`task ${i + 1}`));
    for (const spy of spies) for (let i = 0; i < 3; i++) pollOnce('pending()', () => pollWith(fut, spy));
    expect(
      spies.map((s) => s.clones),
      'pending() should not clone (keep) the waker: the rule "arrange a wake before returning Pending" is about ' +
        'futures that can make progress later. Nothing will ever wake pending(), so a kept waker only holds on to ' +
        `a task that can never finish (seed ${seed})`,
    ).toEqual(spies.map(() => 0));
  }
});

test('pollFn hands over the same cx', () => {
  for (const seed of SEEDS) {
    const value = seeded(seed).int(1, 1000);
    const seen: lib.Context[] = [];
    const fut = pollFn((c) => {
      seen.push(c);
      return lib.Ready(value);
    });
    const cx: lib.Context = { waker: spyWaker().waker };
    const result = pollOnce('pollFn(fn)', () => fut.poll(cx));
    expect(seen.length, 'pollFn(fn).poll(cx) should call fn').toBe(1);
    expect(
      seen[0],
      'fn should receive the very Context object poll was given, not a copy: the Context belongs ' +
        'to the caller, and what it carries (the waker, and in Rust more to come) must reach fn',
    ).toBe(cx);
    expect(result, `poll should return what fn returned, { ready: true, value: ${value} }`).toEqual({ ready: true, value });
  }
});

test('pollFn calls fn once per poll', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const waits = rng.int(2, 6);
    const value = rng.int(1, 1000);
    const answers: lib.Poll<number>[] = [];
    let calls = 0;
    const fut = pollFn(() => {
      calls += 1;
      const answer = calls > waits ? lib.Ready(value) : lib.Pending;
      answers.push(answer);
      return answer;
    });
    expect(calls, 'pollFn(fn) should not call fn before the first poll: a future does nothing until polled').toBe(0);
    const spy = spyWaker();
    const results: lib.Poll<number>[] = [];
    for (let i = 0; i <= waits; i++) results.push(pollOnce('pollFn(fn)', () => pollWith(fut, spy)));
    expect(
      calls,
      `${waits + 1} polls should call fn exactly ${waits + 1} times, once per poll (seed ${seed})`,
    ).toBe(waits + 1);
    results.forEach((r, i) => {
      expect(r, `poll ${i + 1} should return exactly the object fn returned on that call`).toBe(answers[i]);
    });
  }
});

test('pollFn can wait for a timer', () => {
  for (const seed of SEEDS) {
    const ms = seeded(seed).int(10, 500);
    const reactor = new VirtualReactor();
    const ex = new TestExecutor({ reactor });
    let timer: number | undefined;
    const fut = pollFn<string>((cx) => {
      if (reactor.now >= ms) return lib.Ready('rang');
      timer = reactor.registerTimer(ms, cx.waker.clone(), timer);
      return lib.Pending;
    });
    const handle = ex.spawn('timer', fut);
    ex.run({ maxPolls: 50 });
    expect(handle.done, `a pollFn future that registers a timer for t=${ms} should finish once it fires`).toBe(true);
    expect(handle.finishedAt, `it should finish at exactly t=${ms}`).toBe(ms);
    expect(handle.polls, 'it should be polled twice: once to register, once after the wake').toBe(2);
  }
});

test('written here, not taken from _lib', () => {
  const made = { ready: ready(1), pending: pending(), pollFn: pollFn(() => lib.Pending) };
  for (const [name, fut] of Object.entries(made)) {
    expect(
      libMade.has(fut),
      `${name}() handed back a future made by the course library's ${name}: write the future yourself ` +
        '(an object with a poll method) instead of calling or re-exporting the library\'s',
    ).toBe(false);
  }
  expect(ready, 'write ready() yourself instead of re-exporting the course library’s').not.toBe(lib.ready);
  expect(pending, 'write pending() yourself instead of re-exporting the course library’s').not.toBe(lib.pending);
  expect(pollFn, 'write pollFn() yourself instead of re-exporting the course library’s').not.toBe(lib.pollFn);
});
