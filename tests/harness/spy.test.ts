import { describe, expect, test } from 'vitest';
import { END, Pending, Ready, SpinDetected, counted, pollNextWith, pollWith, sameWaker, spyWaker, type Context, type Future, type Stream, type Waker } from '../../src/harness/index.js';

/** A future that does `act(cx)` on each poll and is Ready on poll number `readyOn`. */
function scripted(readyOn: number, act: (cx: Context, n: number) => void = () => {}): Future<number> {
  let n = 0;
  return {
    poll(cx) {
      n += 1;
      act(cx, n);
      return n >= readyOn ? Ready(n) : Pending;
    },
  };
}

describe('spyWaker', () => {
  test('counts wakes and clones across the original and every clone', () => {
    const spy = spyWaker('s');
    const c1 = spy.waker.clone();
    const c2 = c1.clone();
    spy.waker.wake();
    c1.wake();
    c2.wake();
    expect([spy.wakes, spy.clones, spy.wokeDuringPoll]).toEqual([3, 2, 0]);
  });

  test.each([
    ['a spy and its clone', () => { const s = spyWaker(); return [s.waker, s.waker.clone()] as const; }, true],
    ['two clones of one spy', () => { const s = spyWaker(); return [s.waker.clone(), s.waker.clone()] as const; }, true],
    ['two different spies', () => [spyWaker().waker, spyWaker().waker] as const, false],
  ])('willWakeSame: %s → %s', (_label, make, same) => {
    const [a, b] = make();
    expect(a.willWakeSame(b)).toBe(same);
    expect(b.willWakeSame(a)).toBe(same);
    expect(sameWaker(a, b)).toBe(same);
  });

  test('onWake runs after counting; reset zeroes the counts', () => {
    const seen: number[] = [];
    const spy = spyWaker('s', () => seen.push(spy.wakes));
    spy.waker.clone().wake();
    expect(seen).toEqual([1]);
    spy.reset();
    expect([spy.wakes, spy.clones, spy.polls, spy.woken]).toEqual([0, 0, 0, false]);
    spy.waker.wake();
    expect(spy.wakes).toBe(1);
  });
});

describe('pollWith', () => {
  test('a wake during the poll is counted in wokeDuringPoll, a wake after it is not', () => {
    const spy = spyWaker();
    let stored: { wake(): void } | undefined;
    const fut = scripted(3, (cx, n) => {
      if (n === 1) cx.waker.wake();
      stored = cx.waker.clone();
    });
    expect(pollWith(fut, spy)).toEqual({ ready: false });
    expect(spy.wokeDuringPoll).toBe(1);
    stored?.wake();
    expect([spy.wakes, spy.wokeDuringPoll, spy.inPoll]).toEqual([2, 1, false]);
  });

  test('passes the spy waker in the Context and lowers inPoll even when poll throws', () => {
    const spy = spyWaker();
    const fut: Future<never> = {
      poll(cx) {
        expect(cx.waker).toBe(spy.waker);
        expect(spy.inPoll).toBe(true);
        throw new Error('boom');
      },
    };
    expect(() => pollWith(fut, spy)).toThrow('boom');
    expect(spy.inPoll).toBe(false);
    expect(spy.polls).toBe(1);
  });

  test('woken says whether a wake came since the last pollWith started', () => {
    const spy = spyWaker();
    const fut = scripted(99);
    pollWith(fut, spy);
    expect(spy.woken).toBe(false);
    spy.waker.wake();
    expect(spy.woken).toBe(true);
    pollWith(fut, spy);
    expect(spy.woken).toBe(false);
  });

  test('pollNextWith polls a stream the same way', () => {
    const items = [1, 2];
    const s: Stream<number> = {
      pollNext() {
        const v = items.shift();
        return Ready(v === undefined ? END : v);
      },
    };
    const spy = spyWaker();
    expect([pollNextWith(s, spy), pollNextWith(s, spy), pollNextWith(s, spy)]).toEqual([Ready(1), Ready(2), Ready(END)]);
    expect(spy.polls).toBe(3);
  });
});

describe('counted', () => {
  test('counts polls and drops and passes drop on', () => {
    let innerDrops = 0;
    const c = counted({ poll: () => Pending, drop: () => void (innerDrops += 1) });
    const spy = spyWaker();
    pollWith(c, spy);
    pollWith(c, spy);
    c.drop();
    c.drop();
    expect([c.polls, c.drops, innerDrops]).toEqual([2, 2, 2]);
  });

  test('polls === wakes + 1 for a future driven by wakes; unwokenPolls counts polls nobody asked for', () => {
    const spy = spyWaker();
    let stored: { wake(): void } | undefined;
    const c = counted(scripted(3, (cx) => void (stored = cx.waker.clone())));
    pollWith(c, spy);
    stored?.wake();
    pollWith(c, spy);
    pollWith(c, spy); // no wake before this one
    expect([c.polls, c.wakes, c.unwokenPolls, c.done]).toEqual([3, 1, 1, true]);
    expect(spy.wakes).toBe(1); // the wrapper passes wakes on
  });

  test('the wrapped waker keeps its identity: willWakeSame sees through the wrapper', () => {
    const spy = spyWaker();
    const seen: Waker[] = [];
    const c = counted(scripted(9, (cx) => void seen.push(cx.waker)));
    pollWith(c, spy);
    pollWith(c, spy);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]!.willWakeSame(spy.waker)).toBe(true);
    expect(seen[0]!.clone().willWakeSame(seen[1]!)).toBe(true);
    expect(spy.waker.willWakeSame(seen[0]!)).toBe(true);
  });

  test('counts self-wakes and polls after Ready', () => {
    const c = counted(scripted(2, (cx) => cx.waker.wake()));
    const spy = spyWaker();
    pollWith(c, spy);
    pollWith(c, spy);
    pollWith(c, spy);
    expect([c.wokeDuringPoll, c.pollsAfterReady, c.unwokenPolls]).toEqual([3, 1, 0]);
  });

  test('maxPolls: an executor that polls without wakes gets SpinDetected naming the future', () => {
    const c = counted({ poll: () => Pending }, { name: 'tick', maxPolls: 5 });
    const spy = spyWaker();
    for (let i = 0; i < 5; i++) pollWith(c, spy);
    let error: unknown;
    try {
      pollWith(c, spy);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpinDetected);
    expect(String(error)).toMatch(/future "tick" was polled 6 times \(the cap is 5\)/);
    expect(String(error)).toMatch(/without any wake asking for them/);
  });
});
