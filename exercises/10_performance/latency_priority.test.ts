import { expect, test } from 'vitest';
import { SEEDS, VirtualReactor, banned, seeded } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { MAX_HIGH_IN_A_ROW, PriorityExecutor } from './latency_priority';

/** Polls `polls` times, doing `cost` virtual ms of work each time and yielding in between. */
function batch(reactor: VirtualReactor, polls: number, cost: number, done: { count: number }): Future<string> {
  let left = polls;
  return {
    poll(cx: Context): Poll<string> {
      reactor.cpu(cost);
      left -= 1;
      if (left === 0) {
        done.count += 1;
        return Ready('batch done');
      }
      cx.waker.wake();
      return Pending;
    },
  };
}

/** Handles an event every `period` ms, `events` times; records how late each handling started. */
function input(reactor: VirtualReactor, period: number, events: number, latencies: number[]): Future<string> {
  let n = 0;
  let registered = false;
  return {
    poll(cx: Context): Poll<string> {
      const due = (n + 1) * period;
      if (registered && reactor.now >= due) {
        latencies.push(reactor.now - due);
        n += 1;
        registered = false;
      }
      if (n === events) return Ready('input done');
      if (!registered) {
        registered = true;
        reactor.registerTimer((n + 1) * period, cx.waker.clone());
      }
      return Pending;
    },
  };
}

interface Gui {
  tasks: number;
  polls: number;
  cost: number;
  period: number;
  events: number;
}

function gui(seed: number | undefined): Gui {
  if (seed === undefined) return { tasks: 20, polls: 50, cost: 5, period: 16, events: 300 };
  const rng = seeded(seed);
  const g = { tasks: rng.int(8, 30), polls: rng.int(10, 60), cost: rng.int(2, 8), period: rng.int(9, 30), events: 0 };
  g.events = Math.floor((g.tasks * g.polls * g.cost) / g.period) - 2;
  return g;
}

const describe = (g: Gui, seed: number | undefined) =>
  `${g.tasks} batch tasks × ${g.polls} polls of ${g.cost} ms, an input event every ${g.period} ms` +
  (seed === undefined ? '' : ` (seed ${seed})`);

function runGui(g: Gui) {
  const reactor = new VirtualReactor();
  const ex = new PriorityExecutor(reactor);
  const done = { count: 0 };
  const latencies: number[] = [];
  for (let i = 0; i < g.tasks; i++) ex.spawn(`batch${i}`, batch(reactor, g.polls, g.cost, done));
  ex.spawn('input', input(reactor, g.period, g.events, latencies), { priority: 'high' });
  ex.run();
  return { reactor, ex, done, latencies };
}

test('input events are handled within one batch poll', () => {
  for (const seed of [undefined, ...SEEDS]) {
    const g = gui(seed);
    const { latencies } = runGui(g);
    expect(latencies.length, `every input event should be handled: ${describe(g, seed)}`).toBe(g.events);
    const worst = Math.max(...latencies);
    expect(
      worst,
      `an input event waited ${worst} ms before its handler ran; a high-priority task should run right after the ` +
        `batch poll during which its event arrived, so at most ${g.cost} ms. Keep woken high tasks in their own ` +
        `queue and poll that queue first: ${describe(g, seed)}`,
    ).toBeLessThanOrEqual(g.cost);
  }
});

test('all batch work still gets done, in the same total time', () => {
  for (const seed of [undefined, ...SEEDS]) {
    const g = gui(seed);
    const { reactor, ex, done } = runGui(g);
    expect(done.count, `every batch task should finish: ${describe(g, seed)}`).toBe(g.tasks);
    expect(
      reactor.now,
      `the batch work takes ${g.tasks * g.polls * g.cost} ms of CPU and the input handler none, so the run should end ` +
        `at exactly that virtual time: priorities change who waits, not how much work there is: ${describe(g, seed)}`,
    ).toBe(g.tasks * g.polls * g.cost);
    expect(ex.trace.length, `each batch task is polled ${g.polls} times, the input task once plus once per event`).toBe(
      g.tasks * g.polls + g.events + 1,
    );
  }
});

test('a busy high task leaves one poll in every 11 to the low tasks', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new PriorityExecutor(reactor);
    const done = { count: 0 };
    const lows = rng.int(1, 4);
    const lowPolls = rng.int(3, 8);
    for (let i = 0; i < lows; i++) ex.spawn(`low${i}`, batch(reactor, lowPolls, 1, done));
    const highPolls = (MAX_HIGH_IN_A_ROW + 1) * lows * lowPolls + rng.int(5, 30);
    ex.spawn('hog', batch(reactor, highPolls, 1, done), { priority: 'high' });
    ex.run();
    // While low work remains: ten hog polls, then one low poll, round and round (low tasks in FIFO order).
    const expected: string[] = [];
    const left = new Map(Array.from({ length: lows }, (_, i) => [`low${i}`, lowPolls]));
    const order = [...left.keys()];
    for (let next = order.shift(); next !== undefined; next = order.shift()) {
      for (let k = 0; k < MAX_HIGH_IN_A_ROW; k++) expected.push('hog');
      expected.push(next);
      left.set(next, (left.get(next) ?? 0) - 1);
      if ((left.get(next) ?? 0) > 0) order.push(next);
    }
    const hogBefore = expected.filter((n) => n === 'hog').length;
    for (let k = hogBefore; k < highPolls; k++) expected.push('hog');
    expect(
      ex.trace,
      `one hog task (high) that is always runnable, and ${lows} low tasks of ${lowPolls} polls: after ` +
        `${MAX_HIGH_IN_A_ROW} high polls in a row, exactly one waiting low task should be polled, then the count ` +
        `starts again (seed ${seed})`,
    ).toEqual(expected);
    expect(done.count, `every task should finish (seed ${seed})`).toBe(lows + 1);
  }
});

test('a low task woken after a long run of high polls goes next', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new PriorityExecutor(reactor);
    // The low task waits (Pending, no wake) until the hog wakes it, at a high poll past MAX_HIGH_IN_A_ROW.
    let lowWaker: Context['waker'] | undefined;
    let lowPolls = 0;
    ex.spawn('low', {
      poll(cx: Context): Poll<string> {
        lowPolls += 1;
        lowWaker = cx.waker.clone();
        return lowPolls >= 2 ? Ready('low') : Pending;
      },
    });
    ex.run(); // the low task's first poll: now it waits, with nothing queued
    const wakeAt = MAX_HIGH_IN_A_ROW + rng.int(1, MAX_HIGH_IN_A_ROW - 1); // between two multiples of it
    const total = wakeAt + 2 * MAX_HIGH_IN_A_ROW;
    let hogPolls = 0;
    ex.spawn(
      'hog',
      {
        poll(cx: Context): Poll<string> {
          hogPolls += 1;
          if (hogPolls === wakeAt) lowWaker?.wake();
          if (hogPolls === total) return Ready('hog');
          cx.waker.wake();
          return Pending;
        },
      },
      { priority: 'high' },
    );
    ex.run();
    expect(ex.trace[0], 'the low task ran first, alone').toBe('low');
    const hogRun = ex.trace.slice(1).indexOf('low');
    expect(
      hogRun,
      `the hog (high) had run ${wakeAt} polls in a row when it woke the low task: that is already more than ` +
        `${MAX_HIGH_IN_A_ROW}, so the low task goes next. The count is of high polls in a row, whether or not a low ` +
        `task was waiting while they ran, and the guard applies after every poll, not only at multiples of ` +
        `${MAX_HIGH_IN_A_ROW} (seed ${seed})`,
    ).toBe(wakeAt);
  }
});

test('each priority keeps first-woken-first-polled order', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new PriorityExecutor(reactor);
    const plan = Array.from({ length: rng.int(4, 9) }, (_, i) => ({
      name: `t${i}`,
      high: rng.int(0, 1) === 1,
      at: rng.int(1, 50) * 10,
    }));
    for (const t of plan) {
      let waited = false;
      ex.spawn(
        t.name,
        {
          poll(cx: Context): Poll<string> {
            if (waited) return Ready(t.name);
            waited = true;
            reactor.registerTimer(t.at, cx.waker.clone());
            return Pending;
          },
        },
        t.high ? { priority: 'high' } : {},
      );
    }
    ex.run();
    const highs = plan.filter((t) => t.high).map((t) => t.name);
    const lowsFirst = plan.filter((t) => !t.high).map((t) => t.name);
    const byTime = [...plan].sort((a, b) => a.at - b.at || plan.indexOf(a) - plan.indexOf(b)).map((t) => t.name);
    expect(
      ex.trace.slice(0, plan.length),
      `first polls: the high tasks in spawn order, then the low ones (seed ${seed})`,
    ).toEqual([...highs, ...lowsFirst]);
    expect(
      ex.trace.slice(plan.length),
      `each task's timer fires at a different time (or in registration order): they should run in that order ` +
        `(seed ${seed}: ${plan.map((t) => `${t.name}${t.high ? '(high)' : ''} at ${t.at}`).join(', ')})`,
    ).toEqual(byTime);
  }
});

test('the executor still polls only what was woken, and stops when all is done', () => {
  for (const priority of ['high', 'low'] as const) {
    const reactor = new VirtualReactor();
    const ex = new PriorityExecutor(reactor);
    const wakers: Array<{ wake(): void; willWakeSame(o: unknown): boolean }> = [];
    let polls = 0;
    ex.spawn(
      'twice',
      {
        poll(cx: Context): Poll<string> {
          polls += 1;
          wakers.push(cx.waker.clone());
          if (polls === 1) {
            cx.waker.wake();
            cx.waker.wake();
          }
          return polls >= 3 ? Ready('done') : Pending;
        },
      },
      { priority },
    );
    ex.spawn('other', { poll: (): Poll<string> => Ready('done') }, { priority });
    ex.run();
    expect(ex.trace, `(${priority}) two wakes during one poll queue the task once`).toEqual(['twice', 'other', 'twice']);
    wakers[0]?.wake();
    wakers[0]?.wake();
    ex.run();
    expect(ex.trace.slice(3), `(${priority}) two wakes from outside a poll queue the task once too`).toEqual(['twice']);
    wakers[0]?.wake();
    ex.run();
    expect(polls, `(${priority}) a task that returned Ready must never be polled again`).toBe(3);
    const [a, b] = wakers;
    expect(a !== undefined && b !== undefined && a.willWakeSame(b), "two of one task's wakers should willWakeSame each other").toBe(true);
    expect(a?.willWakeSame({ wake() {}, clone: () => a, willWakeSame: () => false }), 'and not a stranger').toBe(false);
  }
  const reactor = new VirtualReactor();
  const ex = new PriorityExecutor(reactor);
  ex.spawn('leaves a timer', {
    poll(cx: Context): Poll<string> {
      reactor.registerTimer(5000, cx.waker.clone());
      return Ready('done');
    },
  });
  ex.run();
  expect(reactor.now, 'run() should return once every task has finished, without waiting for a leftover timer').toBe(0);
});

test('builds the priorities by hand', () => {
  const found = banned(
    new URL('./latency_priority.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'the two queues and the guard are built here by hand, without JavaScript timers and promises',
  );
  expect(found, found.join('\n')).toEqual([]);
});
