import { describe, expect, test } from 'vitest';
import { Pending, VirtualReactor, WOULD_BLOCK, pollWith, sleep, sleepUntil, spyWaker } from '../../src/harness/index.js';

describe('VirtualReactor timers', () => {
  test.each([
    // [deadline, advance by, fired?]
    [100, 99, false],
    [100, 100, true],
    [100, 250, true],
    [0, 0, true],
  ])('a timer at t=%i after advance(%i) has fired: %s', (deadline, by, fired) => {
    const r = new VirtualReactor();
    const spy = spyWaker();
    r.registerTimer(deadline, spy.waker);
    r.advance(by);
    expect(spy.wakes).toBe(fired ? 1 : 0);
    expect(r.pendingTimers).toBe(fired ? 0 : 1);
    expect(r.now).toBe(by);
  });

  test('advance fires due timers in deadline order, ties in registration order, with now at each deadline', () => {
    const r = new VirtualReactor();
    const log: string[] = [];
    const at = (name: string) => spyWaker(name, () => log.push(`${name}@${r.now}`)).waker;
    r.registerTimer(30, at('c'));
    r.registerTimer(10, at('a'));
    r.registerTimer(30, at('d'));
    r.registerTimer(20, at('b'));
    r.registerTimer(31, at('late'));
    expect(r.advance(30)).toBe(4);
    expect(log).toEqual(['a@10', 'b@20', 'c@30', 'd@30']);
    expect([r.now, r.pendingTimers, r.firedTimers]).toEqual([30, 1, 4]);
  });

  test('registering again with the returned id replaces the registration instead of adding one', () => {
    const r = new VirtualReactor();
    const first = spyWaker('first');
    const second = spyWaker('second');
    const id = r.registerTimer(100, first.waker);
    expect(r.registerTimer(50, second.waker, id)).toBe(id);
    expect(r.pendingTimers).toBe(1);
    expect(r.registrations(id)).toEqual([{ kind: 'timer', id, deadline: 50, waker: second.waker }]);
    r.advance(100);
    expect([first.wakes, second.wakes]).toEqual([0, 1]);
  });

  test('an id that already fired can be re-armed; ids are truthy', () => {
    const r = new VirtualReactor();
    const spy = spyWaker();
    const id = r.registerTimer(10, spy.waker);
    expect(id).toBeTruthy();
    r.advance(10);
    expect(r.registrations(id)).toEqual([]);
    r.registerTimer(20, spy.waker, id);
    r.advance(10);
    expect(spy.wakes).toBe(2);
  });

  test('cancelTimer removes it; cancelling twice says false', () => {
    const r = new VirtualReactor();
    const spy = spyWaker();
    const id = r.registerTimer(10, spy.waker);
    expect([r.cancelTimer(id), r.cancelTimer(id), r.pendingTimers]).toEqual([true, false, 0]);
    r.advance(100);
    expect(spy.wakes).toBe(0);
  });

  test('turn jumps to the next deadline and fires every timer due then; false when nothing is pending', () => {
    const r = new VirtualReactor();
    const a = spyWaker();
    const b = spyWaker();
    r.registerTimer(40, a.waker);
    r.registerTimer(40, a.waker.clone());
    r.registerTimer(90, b.waker);
    expect([r.turn(), r.now, a.wakes, b.wakes]).toEqual([true, 40, 2, 0]);
    expect([r.turn(), r.now, b.wakes]).toEqual([true, 90, 1]);
    expect([r.turn(), r.now, r.turns]).toEqual([false, 90, 3]);
  });

  test('cpu moves the clock without firing; the next turn fires the late timer and records the lateness', () => {
    const r = new VirtualReactor();
    const spy = spyWaker();
    r.registerTimer(100, spy.waker);
    r.cpu(250);
    expect([r.now, spy.wakes]).toEqual([250, 0]);
    expect(r.turn()).toBe(true);
    expect([r.now, spy.wakes, r.maxTimerLateness]).toEqual([250, 1, 150]);
  });

  test('a wake that registers a new due timer is fired in the same advance', () => {
    const r = new VirtualReactor();
    const second = spyWaker('second');
    const first = spyWaker('first', () => r.registerTimer(r.now + 5, second.waker));
    r.registerTimer(10, first.waker);
    r.advance(20);
    expect([first.wakes, second.wakes]).toEqual([1, 1]);
  });

  test('holds() and registrations() report which wakers the reactor keeps', () => {
    const r = new VirtualReactor();
    const held = spyWaker();
    const other = spyWaker();
    r.registerTimer(5, held.waker.clone());
    expect(r.holds(held.waker)).toBe(true);
    expect(r.holds(other.waker)).toBe(false);
    expect(r.registrations().map((x) => x.kind)).toEqual(['timer']);
  });

  test.each([
    ['a Context instead of a waker', () => new VirtualReactor().registerTimer(1, { waker: spyWaker().waker } as never), /pass cx\.waker/],
    ['a NaN deadline', () => new VirtualReactor().registerTimer(Number.NaN, spyWaker().waker), /finite virtual time/],
    ['an id it never issued', () => new VirtualReactor().registerTimer(1, spyWaker().waker, 7), /not a timer id/],
    ['a negative advance', () => new VirtualReactor().advance(-1), /≥ 0/],
  ])('rejects %s with a message that says what to do', (_label, act, message) => {
    expect(act).toThrow(message);
  });
});

describe('FakeSocket', () => {
  test('tryRead returns buffered data, then WOULD_BLOCK', () => {
    const r = new VirtualReactor();
    const s = r.socket();
    expect(s.fd).toBe(3);
    expect(s.tryRead()).toBe(WOULD_BLOCK);
    s.push('ab');
    s.push('c\n');
    expect(s.tryRead()).toBe('abc\n');
    expect(s.tryRead()).toBe(WOULD_BLOCK);
    expect([s.reads, s.wouldBlocks]).toEqual([3, 2]);
  });

  test('readiness is delivered at the next turn, once, and only to that fd', () => {
    const r = new VirtualReactor();
    const s3 = r.socket();
    const s4 = r.socket();
    const a = spyWaker('a');
    const b = spyWaker('b');
    s3.registerReadable(a.waker);
    s4.registerReadable(b.waker);
    s4.push('x');
    expect(b.wakes).toBe(0); // push alone wakes nobody
    expect(r.turn()).toBe(true);
    expect([a.wakes, b.wakes, s4.events, s4.interestCount, s3.interestCount]).toEqual([0, 1, 1, 0, 1]);
    expect(r.turn()).toBe(false); // the registration was used up
  });

  test('registering the same task again replaces its interest; another task adds one; deregister removes', () => {
    const r = new VirtualReactor();
    const s = r.socket();
    const a = spyWaker();
    const b = spyWaker();
    s.registerReadable(a.waker);
    s.registerReadable(a.waker.clone());
    expect(r.interestCount(s.fd)).toBe(1);
    r.registerReadable(s.fd, b.waker);
    expect(s.interestCount).toBe(2);
    expect(s.deregister(a.waker)).toBe(1);
    expect(s.deregister()).toBe(1);
    expect(s.interestCount).toBe(0);
  });

  test('markReadable is a spurious wakeup: the reader is woken and tryRead says WOULD_BLOCK', () => {
    const r = new VirtualReactor();
    const s = r.socket(7);
    const spy = spyWaker();
    s.registerReadable(spy.waker);
    r.markReadable(7);
    r.advance(0);
    expect([spy.wakes, s.tryRead()]).toEqual([1, WOULD_BLOCK]);
  });

  test('edge-triggered: unread data makes no second event; only new data does', () => {
    const r = new VirtualReactor();
    const s = r.socket(undefined, { readSize: 2 });
    const spy = spyWaker('reader');
    s.registerReadable(spy.waker);
    s.push('abc');
    s.push('de');
    expect(r.turn()).toBe(true); // two pushes before a turn: one event
    expect([spy.wakes, s.events]).toEqual([1, 1]);
    expect(s.tryRead()).toBe('ab'); // a read returns at most readSize characters
    s.registerReadable(spy.waker); // waits again with 'cde' still unread
    expect(r.turn()).toBe(false); // ... and nothing fires for it
    expect([spy.wakes, s.events, s.buffered, s.interestCount]).toEqual([1, 1, 3, 1]);
    s.push('f');
    expect(r.turn()).toBe(true); // new data: a new event
    expect([s.tryRead(), s.tryRead(), s.tryRead(), s.tryRead()]).toEqual(['cd', 'ef', WOULD_BLOCK, WOULD_BLOCK]);
    expect(s.readSize).toBe(2);
    expect(r.socket().readSize).toBe(Infinity);
    expect(() => r.socket(undefined, { readSize: 0 })).toThrow(/readSize must be at least 1/);
  });

  test('an event nobody was registered for waits for a registration, unless the socket was read empty', () => {
    const r = new VirtualReactor();
    const s = r.socket();
    const spy = spyWaker('reader');
    s.push('x');
    expect(r.turn()).toBe(false); // nobody registered: the event is kept
    s.registerReadable(spy.waker);
    expect([r.turn(), spy.wakes]).toEqual([true, 1]);
    s.push('y');
    expect(s.tryRead()).toBe('xy'); // read before the turn: nothing new left to report
    s.registerReadable(spy.waker);
    expect([r.turn(), spy.wakes]).toEqual([false, 1]);
  });

  test('unknown fds and duplicate sockets are refused', () => {
    const r = new VirtualReactor();
    r.socket(3);
    expect(() => r.socket(3)).toThrow(/already has a socket/);
    expect(() => r.registerReadable(9, spyWaker().waker)).toThrow(/no socket with fd 9/);
  });
});

describe('sleep (the trusted leaf)', () => {
  test('Pending before the deadline with exactly one registration holding the latest waker; Ready at it', () => {
    const r = new VirtualReactor();
    const spy = spyWaker();
    const s = sleep(r, 100);
    for (let i = 0; i < 5; i++) expect(pollWith(s, spy)).toBe(Pending);
    expect(r.pendingTimers).toBe(1);
    expect(r.registrations()[0]!.waker.willWakeSame(spy.waker)).toBe(true);
    expect(spy.clones).toBe(1); // the same task polling again keeps its registration
    r.advance(99);
    expect([spy.wakes, pollWith(s, spy).ready]).toEqual([0, false]);
    r.advance(1);
    expect(spy.wakes).toBe(1);
    expect(pollWith(s, spy)).toEqual({ ready: true, value: undefined });
    expect(spy.wokeDuringPoll).toBe(0);
  });

  test('polled by another task, it moves its registration to the new waker', () => {
    const r = new VirtualReactor();
    const a = spyWaker('a');
    const b = spyWaker('b');
    const s = sleep(r, 10);
    pollWith(s, a);
    pollWith(s, b);
    r.advance(10);
    expect([a.wakes, b.wakes, r.pendingTimers]).toEqual([0, 1, 0]);
  });

  test('drop deregisters, is idempotent, and a later poll throws', () => {
    const r = new VirtualReactor();
    const s = sleepUntil(r, 50);
    pollWith(s, spyWaker());
    s.drop();
    s.drop();
    expect(r.pendingTimers).toBe(0);
    expect(() => pollWith(s, spyWaker())).toThrow(/after drop/);
  });

  test('the deadline is fixed at creation; polling after Ready throws', () => {
    const r = new VirtualReactor();
    r.advance(50);
    const s = sleep(r, 100);
    expect(s.deadline).toBe(150);
    r.advance(100);
    expect(pollWith(s, spyWaker()).ready).toBe(true);
    expect(r.pendingTimers).toBe(0);
    expect(() => pollWith(s, spyWaker())).toThrow(/after it returned Ready/);
  });
});
