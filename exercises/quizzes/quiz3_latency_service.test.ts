import { expect, test } from 'vitest';
import { SEEDS, VirtualReactor, banned, counted, seeded, sleep } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { MAX_HIGH_IN_A_ROW, Service, retry, type Runtime } from './quiz3_latency_service';

/** A runtime over the virtual reactor (the trusted sleep underneath). */
const virtualRuntime = (reactor: VirtualReactor): Runtime => ({ sleep: (ms) => sleep(reactor, ms) });

/** A fetch that fails `failures` times (each try takes `cost` ms), then succeeds; notes when each try started. */
function flaky(reactor: VirtualReactor, failures: number, cost: number, starts: number[]): () => Future<string | undefined> {
  return () => {
    starts.push(reactor.now);
    const done = sleep(reactor, cost);
    const n = starts.length;
    return { poll: (cx: Context) => (done.poll(cx).ready ? Ready(n > failures ? `ok after ${n}` : undefined) : Pending), drop: () => done.drop() };
  };
}

test('retry follows its schedule exactly, on any runtime', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const delays = Array.from({ length: rng.int(2, 5) }, () => rng.int(10, 200));
    const failures = rng.int(0, delays.length + 1);
    const cost = rng.int(1, 20);
    const reactor = new VirtualReactor();
    const svc = new Service(reactor);
    const starts: number[] = [];
    let result: string | undefined = 'not finished';
    const r = retry(virtualRuntime(reactor), flaky(reactor, failures, cost, starts), delays);
    svc.spawn('fetch', { poll: (cx: Context): Poll<void> => { const p = r.poll(cx); if (!p.ready) return Pending; result = p.value; return Ready(undefined); } });
    svc.run();
    const tries = Math.min(failures + 1, delays.length + 1);
    const expected: number[] = [];
    for (let i = 0, t = 0; i < tries; i++) {
      expected.push(t);
      t += cost + (delays[i] ?? 0);
    }
    expect(
      starts,
      `a fetch that fails ${failures} time(s), ${cost} ms per try, retried after ${delays.join(', ')} ms: each try should start ` +
        `when the previous one failed plus its delay (seed ${seed})`,
    ).toEqual(expected);
    expect(result, `the result (seed ${seed})`).toBe(failures <= delays.length ? `ok after ${failures + 1}` : undefined);
    expect(reactor.pendingTimers, 'nothing may be left on the reactor').toBe(0);
  }
  // Another runtime: sleeps that are Ready at once. retry must only use what it is given.
  const calls: number[] = [];
  const instant: Runtime = { sleep: (ms) => (calls.push(ms), { poll: () => Ready(undefined) }) };
  let n = 0;
  const r = retry(instant, () => ({ poll: () => Ready((n += 1) >= 3 ? 'third' : undefined) }), [5, 6, 7]);
  expect(r.poll({ waker: { wake() {}, clone: () => ({ wake() {}, clone: () => { throw new Error('x'); }, willWakeSame: () => false }), willWakeSame: () => false } })).toEqual(Ready('third'));
  expect(calls, 'retry should sleep through the runtime it is given, with the delays in order').toEqual([5, 6]);

  // Dropped while it sleeps between tries: the sleep's timer must go with it.
  const reactor = new VirtualReactor();
  const svc = new Service(reactor);
  const dropped = retry(virtualRuntime(reactor), flaky(reactor, 5, 1, []), [100, 100]);
  svc.spawn('fetch', { poll: (cx: Context) => dropped.poll(cx) });
  svc.spawn('cancel', { poll: (cx: Context): Poll<void> => {
    if (reactor.now < 50) return (reactor.registerTimer(50, cx.waker.clone()), Pending);
    dropped.drop?.();
    return Ready(undefined);
  } });
  svc.run();
  expect(reactor.pendingTimers, 'retry.drop() while sleeping between tries should cancel that sleep').toBe(0);
  expect(reactor.now, 'nothing is left to wait for after the drop at t=50').toBe(50);
});

function batch(reactor: VirtualReactor, polls: number, cost: number): Future<string> {
  let left = polls;
  return {
    poll(cx) {
      reactor.cpu(cost);
      if (--left === 0) return Ready('done');
      cx.waker.wake();
      return Pending;
    },
  };
}

test('input is handled within one batch poll, while jobs run', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const svc = new Service(reactor);
    const cost = rng.int(2, 6);
    const jobs = rng.int(5, 20);
    for (let i = 0; i < jobs; i++) svc.job(`thumb${i}`, batch(reactor, 30, cost), new AbortController().signal);
    const period = 16;
    const events = Math.floor((jobs * 30 * cost) / period) - 2;
    const late: number[] = [];
    let k = 0;
    svc.spawn('input', {
      poll(cx: Context): Poll<void> {
        if (k > 0 && reactor.now >= k * period) late.push(reactor.now - k * period);
        if (k > 0 && reactor.now < k * period) return Pending;
        if (k === events) return Ready(undefined);
        k += 1;
        reactor.registerTimer(k * period, cx.waker.clone());
        return Pending;
      },
    }, { priority: 'high' });
    svc.run();
    expect(late.length, `every input event is handled (seed ${seed})`).toBe(events);
    expect(Math.max(...late), `input waited longer than one ${cost} ms job poll (seed ${seed})`).toBeLessThanOrEqual(cost);
    expect(reactor.now, `the jobs' work still all gets done, in the same total time (seed ${seed})`).toBe(jobs * 30 * cost);
  }
});

test('a busy input task still leaves one poll in every 11 to the jobs', () => {
  const reactor = new VirtualReactor();
  const svc = new Service(reactor);
  svc.job('thumb', batch(reactor, 3, 1), new AbortController().signal);
  svc.spawn('hog', batch(reactor, 40, 1), { priority: 'high' });
  svc.run();
  const hogs = (n: number) => Array.from({ length: n }, () => 'hog');
  expect(svc.trace, `after ${MAX_HIGH_IN_A_ROW} high polls in a row, a waiting job gets one`).toEqual([
    ...hogs(10), 'thumb', ...hogs(10), 'thumb', ...hogs(10), 'thumb', ...hogs(10),
  ]);
});

test('a job woken after a long run of input polls goes next', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const svc = new Service(reactor);
    // A low task that waits (Pending, no wake) until the hog wakes it.
    let lowWaker: Context['waker'] | undefined;
    let lowPolls = 0;
    svc.spawn('low', { poll: (cx: Context): Poll<string> => ((lowPolls += 1), (lowWaker = cx.waker.clone()), lowPolls >= 2 ? Ready('low') : Pending) });
    svc.run(); // its first poll; now it waits, with nothing queued
    const wakeAt = MAX_HIGH_IN_A_ROW + rng.int(1, MAX_HIGH_IN_A_ROW - 1); // between two multiples of it
    let hogPolls = 0;
    svc.spawn('hog', {
      poll(cx: Context): Poll<string> {
        hogPolls += 1;
        if (hogPolls === wakeAt) lowWaker?.wake();
        if (hogPolls === wakeAt + 2 * MAX_HIGH_IN_A_ROW) return Ready('hog');
        cx.waker.wake();
        return Pending;
      },
    }, { priority: 'high' });
    svc.run();
    expect(svc.trace[0]).toBe('low');
    expect(
      svc.trace.slice(1).indexOf('low'),
      `the input task had run ${wakeAt} polls in a row when it woke the low task, already more than ${MAX_HIGH_IN_A_ROW}: ` +
        `the low task goes next. Count high polls in a row whether or not a low task waited, and apply the guard ` +
        `after every poll, not only at multiples of ${MAX_HIGH_IN_A_ROW} (seed ${seed})`,
    ).toBe(wakeAt);
  }
});

test('retry: a falsy success is a success', () => {
  for (const value of [0, '', false, Number.NaN, null]) {
    const reactor = new VirtualReactor();
    const sleeps: number[] = [];
    const rt: Runtime = { sleep: (ms) => (sleeps.push(ms), sleep(reactor, ms)) };
    let tries = 0;
    const r = retry<unknown>(rt, () => ((tries += 1), { poll: () => Ready(value) }), [10, 20]);
    const p = r.poll({ waker: { wake() {}, clone() { return this; }, willWakeSame: () => true } });
    expect(
      [p, tries, sleeps],
      `the try was Ready with ${String(value === '' ? '""' : value)}: only undefined is a failure, so retry is Ready with it ` +
        'after one try and no sleep (compare with undefined, not truthiness)',
    ).toEqual([Ready(value), 1, []]);
  }
});

test('aborting a queued job means it never runs; aborting a running one discards it', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const svc = new Service(reactor);
    const early = new AbortController();
    early.abort();
    const never = counted(sleep(reactor, 10), { name: 'pre-aborted' });
    const pre = svc.job('pre', never, early.signal);
    const queuedCtl = new AbortController();
    const queued = counted(sleep(reactor, 10), { name: 'queued' });
    const q = svc.job('queued', queued, queuedCtl.signal);
    queuedCtl.abort();
    const runningCtl = new AbortController();
    const slow = counted(sleep(reactor, rng.int(100, 500)), { name: 'running' });
    const running = svc.job('running', slow, runningCtl.signal);
    const keep = svc.job('kept', sleep(reactor, 50), new AbortController().signal);
    svc.spawn('navigate away', {
      poll: (cx: Context): Poll<void> => {
        if (reactor.now < 60) {
          reactor.registerTimer(60, cx.waker.clone());
          return Pending;
        }
        runningCtl.abort();
        return Ready(undefined);
      },
    });
    svc.run();
    expect([pre.state, never.polls], `a job whose signal was already aborted is never polled (seed ${seed})`).toEqual(['aborted', 0]);
    expect([q.state, queued.polls], `a job aborted while queued is never polled (seed ${seed})`).toEqual(['aborted', 0]);
    expect([running.state, running.result, slow.drops > 0], `a job aborted while it runs is dropped and its result discarded (seed ${seed})`).toEqual(['aborted', undefined, true]);
    expect([keep.state, keep.result], 'a job nobody aborts finishes with its value').toEqual(['done', undefined]);
    expect(reactor.pendingTimers, 'after the abort no timer of the cancelled job may be left').toBe(0);
    expect(reactor.now, `the run should end when the last live work is done, at t=60 (seed ${seed})`).toBe(60);
  }
});

test('builds it from the course pieces, not from JavaScript timers', () => {
  const found = banned(
    new URL('./quiz3_latency_service.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'Atomics', 'import:async-lessons', 'import:../_lib/runtime'],
    'time comes from the runtime you are given, and on one thread the shared state needs no atomics',
  );
  expect(found, found.join('\n')).toEqual([]);
});
