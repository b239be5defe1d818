// The course library (exercises/_lib) and the harness declare the same shapes separately; this
// pins that they interoperate, so checks can drive reference futures with harness tools.
import { describe, expect, test } from 'vitest';
import * as lib from '../../exercises/_lib/future.js';
import { END, Pending, TestExecutor, pollNextWith, pollWith, spyWaker, type Future as HarnessFuture } from '../../src/harness/index.js';

describe('exercises/_lib/future', () => {
  test('its types are the harness types, structurally, in both directions', () => {
    const fromLib: HarnessFuture<number> = lib.ready(1);
    const toLib: lib.Future<void> = { poll: () => Pending };
    const cx: lib.Context = { waker: spyWaker().waker };
    expect([fromLib.poll(cx), toLib.poll(cx)]).toEqual([{ ready: true, value: 1 }, { ready: false }]);
  });

  test('END is the same value in both, and pollNextWith accepts a library stream', () => {
    expect(lib.END).toBe(END);
    let left = 1;
    const s: lib.Stream<number> = { pollNext: () => lib.Ready(left-- > 0 ? 7 : lib.END) };
    const spy = spyWaker();
    const first = pollNextWith(s, spy);
    const second = pollNextWith(s, spy);
    expect([first, second]).toEqual([lib.Ready(7), lib.Ready(lib.END)]);
    expect(second.ready && second.value === lib.END).toBe(true);
  });

  test('Ready, frozen Pending, ready(), pending(), pollFn() and noopWaker behave as documented', () => {
    expect(lib.Ready(3)).toEqual({ ready: true, value: 3 });
    expect(Object.isFrozen(lib.Pending)).toBe(true);
    const r = lib.ready('x');
    expect(r.poll(lib.noopContext())).toEqual(lib.Ready('x'));
    expect(() => r.poll(lib.noopContext())).toThrow(/polled after completion/);
    const spy = spyWaker();
    const p = lib.pending<number>();
    for (let i = 0; i < 100; i++) expect(pollWith(p, spy)).toEqual({ ready: false });
    expect(spy.wakes).toBe(0);
    const seen: lib.Context[] = [];
    const f = lib.pollFn((cx) => (seen.push(cx), lib.Ready(seen.length)));
    const cx = lib.noopContext();
    expect([f.poll(cx), f.poll(cx)]).toEqual([lib.Ready(1), lib.Ready(2)]);
    expect(seen[0]).toBe(cx);
    expect([lib.noopWaker.clone(), lib.noopWaker.willWakeSame(lib.noopWaker)]).toEqual([lib.noopWaker, true]);
  });

  test('a reference future runs on the TestExecutor', () => {
    const ex = new TestExecutor();
    const h = ex.spawn('lib', lib.ready(42));
    ex.runUntilStalled();
    expect(h.result).toBe(42);
  });
});
