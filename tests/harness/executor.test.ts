import { describe, expect, test } from 'vitest';
import {
  Pending,
  Ready,
  SpinDetected,
  TestExecutor,
  VirtualReactor,
  WOULD_BLOCK,
  counted,
  sleep,
  type Future,
  type Poll,
  type Waker,
  type WakerHolder,
} from '../../src/harness/index.js';

/** Wakes itself on every poll and never finishes: a busy loop. */
const selfWaking = (): Future<never> => ({
  poll(cx) {
    cx.waker.wake();
    return Pending;
  },
});

/** Returns Pending without giving its waker to anyone: nothing will ever wake it. */
const forgetful = (): Future<never> => ({ poll: () => Pending });

/** Wakes itself `times` times (yielding), then finishes with `value`. */
function yieldTimes<T>(times: number, value: T): Future<T> {
  let left = times;
  return {
    poll(cx): Poll<T> {
      if (left === 0) return Ready(value);
      left -= 1;
      cx.waker.wake();
      return Pending;
    },
  };
}

/** A one-slot channel holding one waker, the kind of thing `holders` is for. */
function slot<T>() {
  let value: T | undefined;
  let waiter: Waker | undefined;
  const holder: WakerHolder = { holds: (w) => waiter !== undefined && waiter.willWakeSame(w) };
  const recv: Future<T> = {
    poll(cx) {
      if (value !== undefined) return Ready(value);
      waiter = cx.waker.clone();
      return Pending;
    },
  };
  const send = (v: T) => {
    value = v;
    waiter?.wake();
    waiter = undefined;
  };
  return { holder, recv, send };
}

describe('TestExecutor', () => {
  test('a timer future is polled exactly twice: once to register, once after the wake', () => {
    const reactor = new VirtualReactor();
    const ex = new TestExecutor({ reactor });
    const fut = counted(sleep(reactor, 100));
    const h = ex.spawn('timer', fut);
    expect(ex.runUntilStalled()).toBe(1);
    expect(ex.stalled()).toEqual([]); // the reactor holds the (counting-wrapped) waker
    reactor.advance(100);
    ex.runUntilStalled();
    expect([h.done, h.polls, h.wakes, fut.polls, fut.wakes, h.finishedAt]).toEqual([true, 2, 1, 2, 1, 100]);
    expect(fut.polls).toBe(fut.wakes + 1);
  });

  test('run() turns the reactor until everything is done and records finish times', () => {
    const reactor = new VirtualReactor();
    const ex = new TestExecutor({ reactor });
    const a = ex.spawn('a', sleep(reactor, 150));
    const b = ex.spawn('b', sleep(reactor, 100));
    expect(ex.run()).toBe(4);
    expect([a.finishedAt, b.finishedAt, reactor.now]).toEqual([150, 100, 150]);
    expect(ex.trace).toEqual(['a', 'b', 'b', 'a']);
  });

  test('polls woken tasks first-woken first, and a wake while queued is deduplicated', () => {
    const ex = new TestExecutor();
    const a = ex.spawn('a', yieldTimes(2, 'A'));
    ex.spawn('b', yieldTimes(1, 'B'));
    a.waker.wake(); // already queued: no second entry
    expect(ex.queueLength).toBe(2);
    ex.runUntilStalled();
    expect(ex.trace).toEqual(['a', 'b', 'a', 'b', 'a']);
    expect(a.result).toBe('A');
    expect(a.wokeDuringPoll).toBe(2);
  });

  test('a self-waking future hits SpinDetected with its name, count and advice', () => {
    const ex = new TestExecutor();
    ex.spawn('quiet', forgetful());
    ex.spawn('spinner', selfWaking());
    let error: unknown;
    try {
      ex.runUntilStalled({ maxPolls: 50 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpinDetected);
    expect((error as SpinDetected).info).toMatchObject({ kind: 'task', name: 'spinner', polls: 49, cap: 50 });
    expect(String(error)).toMatch(/task "spinner" was polled 49 times/);
    expect(String(error)).toMatch(/woke itself 49 times while being polled/);
    expect(ex.polls).toBe(50);
  });

  test.each([
    ['returned Pending without registering', () => forgetful(), ['lost']],
    ['registered with a reactor this executor drives', (r: VirtualReactor) => sleep(r, 10), []],
    ['registered with a reactor this executor does not know', () => sleep(new VirtualReactor(), 10), ['lost']],
  ])('stalled(): a task that %s → %j', (_label, make, expected) => {
    const reactor = new VirtualReactor();
    const ex = new TestExecutor({ reactor });
    ex.spawn('lost', make(reactor));
    ex.runUntilStalled();
    expect(ex.stalled()).toEqual(expected);
  });

  test('stalled() explains itself, and asks the holders it was given', () => {
    const ex = new TestExecutor();
    const ch = slot<number>();
    ex.spawn('consumer', ch.recv);
    ex.runUntilStalled();
    expect(ex.stalled()).toEqual(['consumer']);
    expect(ex.explainStalled()).toMatch(/task "consumer" returned Pending and nothing will wake it/);
    ex.watch(ch.holder);
    expect(ex.stalled()).toEqual([]);
    ch.send(7);
    ex.runUntilStalled();
    expect(ex.stalled()).toEqual([]);
    expect(ex.explainStalled()).toBe('');
  });

  test('a task waiting on another task\'s handle is not stalled, and is woken exactly once with the value', () => {
    const reactor = new VirtualReactor();
    const ex = new TestExecutor({ reactor });
    const worker = ex.spawn('worker', sleep(reactor, 30));
    const waiter = ex.spawn('waiter', {
      poll: (cx) => {
        const r = worker.poll(cx);
        return r.ready ? Ready('got it') : Pending;
      },
    });
    ex.runUntilStalled();
    expect(ex.stalled()).toEqual([]);
    ex.run();
    expect([waiter.result, waiter.polls, waiter.wakes]).toEqual(['got it', 2, 1]);
  });

  test('wakes after completion are ignored; abort drops the future once', () => {
    const ex = new TestExecutor();
    const done = ex.spawn('done', yieldTimes(0, 1));
    ex.runUntilStalled();
    done.waker.wake();
    expect(ex.queueLength).toBe(0);
    let drops = 0;
    const victim = ex.spawn('victim', { poll: () => Pending, drop: () => void (drops += 1) });
    victim.abort();
    victim.abort();
    ex.runUntilStalled();
    expect([victim.state, drops, ex.trace]).toEqual(['cancelled', 1, ['done']]);
    expect(() => victim.result).toThrow(/aborted/);
  });

  test('a throwing poll marks the task failed and re-throws the original error', () => {
    const ex = new TestExecutor();
    const boom = new RangeError('polled after completion');
    const h = ex.spawn('bad', { poll: () => { throw boom; } });
    expect(() => ex.runUntilStalled()).toThrow(boom);
    expect([h.state, h.error]).toEqual(['failed', boom]);
  });

  test('result explains when the task has not finished', () => {
    const ex = new TestExecutor();
    const h = ex.spawn('slow', forgetful());
    ex.runUntilStalled();
    expect(() => h.result).toThrow(/"slow" has no result yet: it is still Pending after 1 poll/);
  });

  test('onPoll sees every poll with virtual times; cpu() inside a poll shows as its duration', () => {
    const reactor = new VirtualReactor();
    const ex = new TestExecutor({ reactor });
    const events: string[] = [];
    const off = ex.onPoll((e) => events.push(`${e.index}:${e.task}:${e.endedAt - e.startedAt}:${String(e.result?.ready)}`));
    ex.spawn('heavy', { poll: () => (reactor.cpu(250), Ready(1)) });
    ex.spawn('light', yieldTimes(0, 2));
    ex.runUntilStalled();
    off();
    ex.spawn('unseen', yieldTimes(0, 3));
    ex.runUntilStalled();
    expect(events).toEqual(['1:heavy:250:true', '2:light:0:true']);
  });

  test('blockOn returns the output, or says why there is none', () => {
    const reactor = new VirtualReactor();
    expect(new TestExecutor({ reactor }).blockOn(yieldTimes(3, 'x'))).toBe('x');
    expect(() => new TestExecutor({ reactor }).blockOn(forgetful())).toThrow(/task "main" returned Pending and nothing will wake it/);
  });

  test('1000 sleeping tasks take exactly 2000 polls', () => {
    const reactor = new VirtualReactor();
    const ex = new TestExecutor({ reactor });
    for (let i = 0; i < 1000; i++) ex.spawn(`t${i}`, sleep(reactor, 1 + (i % 37)));
    expect(ex.run()).toBe(2000);
    expect(ex.liveTasks).toBe(0);
  });

  test('a socket reader waits for readiness; run() stops when only the test can make progress', () => {
    const reactor = new VirtualReactor();
    const sock = reactor.socket();
    const ex = new TestExecutor({ reactor });
    let got = '';
    const h = ex.spawn('reader', {
      poll(cx): Poll<string> {
        for (;;) {
          const data = sock.tryRead();
          if (data === WOULD_BLOCK) {
            sock.registerReadable(cx.waker.clone());
            return Pending;
          }
          got += data;
          if (got.endsWith('\n')) return Ready(got);
        }
      },
    });
    ex.run();
    expect([h.done, ex.stalled()]).toEqual([false, []]);
    sock.push('hel');
    ex.run();
    sock.push('lo\n');
    ex.run();
    expect([h.result, h.polls, sock.events, sock.reads]).toEqual(['hello\n', 3, 2, 4]);
  });

  test('spawn refuses something that is not a future', () => {
    expect(() => new TestExecutor().spawn('x', (() => 1) as never)).toThrow(/must be a Future/);
  });
});
