import { expect, test } from 'vitest';
import { SEEDS, VirtualReactor, banned, seeded } from 'async-lessons/harness';
import { END, Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';
import { BUDGET, Channel, Executor, coop } from './coop_budget';

/** What a consumer saw: items in order, and how many it read in each of its polls. */
interface Seen {
  items: number[];
  perPoll: number[];
}

/** Reads every channel in turn, one item each, until all are closed; each item costs `cost` virtual ms. */
function consumer(reactor: VirtualReactor, channels: Array<Channel<number>>, cost: number, seen: Seen): Future<number> {
  const current: Array<Future<number | typeof END> | undefined> = channels.map(() => undefined);
  const open = channels.map(() => true);
  let next = 0;
  return {
    poll(cx): Poll<number> {
      let read = 0;
      let idle = 0;
      for (;;) {
        if (!open.includes(true)) {
          seen.perPoll.push(read);
          return Ready(seen.items.length);
        }
        const i = next;
        next = (next + 1) % channels.length;
        if (!open[i]) continue;
        const rx = current[i] ?? channels[i]?.recv();
        if (rx === undefined) continue;
        current[i] = rx;
        const p = rx.poll(cx);
        if (!p.ready) {
          // Every open channel said Pending in a row: this poll is over.
          if (++idle >= open.filter(Boolean).length) {
            seen.perPoll.push(read);
            return Pending;
          }
          continue;
        }
        idle = 0;
        current[i] = undefined;
        if (p.value === END) {
          open[i] = false;
          continue;
        }
        seen.items.push(p.value);
        read += 1;
        reactor.cpu(cost);
      }
    },
  };
}

/** When a timer task ran, against when it was due and when its timer fired. */
interface Alarm {
  deadline: number;
  firedAt?: number;
  ranAt?: number;
  consumerPollsAtFire?: number;
  consumerPollsAtRun?: number;
}

/** Registers a timer for `deadline` and finishes when woken; notes the consumer's progress at each step. */
function alarm(reactor: VirtualReactor, deadline: number, seen: Seen, log: Alarm): Future<string> {
  let registered = false;
  return {
    poll(cx: Context): Poll<string> {
      if (reactor.now >= deadline) {
        log.ranAt = reactor.now;
        log.consumerPollsAtRun = seen.perPoll.length;
        return Ready('alarm');
      }
      if (!registered) {
        registered = true;
        const inner = cx.waker.clone();
        const w: Waker = {
          wake: () => {
            log.firedAt = reactor.now;
            log.consumerPollsAtFire = seen.perPoll.length;
            inner.wake();
          },
          clone: () => w,
          willWakeSame: (o) => o === w,
        };
        reactor.registerTimer(deadline, w);
      }
      return Pending;
    },
  };
}

function filled(n: number, start = 0): Channel<number> {
  const ch = new Channel<number>();
  for (let i = 0; i < n; i++) ch.send(start + i);
  ch.close();
  return ch;
}

function run(ex: Executor): void {
  try {
    ex.run(20_000);
  } catch (error) {
    throw new Error(
      `${String(error instanceof Error ? error.message : error)}. A task that yields because its budget is spent is ` +
        'polled again with a fresh budget: does the executor call coop.reset() before every poll?',
      { cause: error },
    );
  }
}

test('a timer fires and runs while a consumer drains a full channel', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const seen: Seen = { items: [], perPoll: [] };
    const log: Alarm = { deadline: rng.int(150, 2000) };
    ex.spawn('consumer', consumer(reactor, [filled(10_000)], 1, seen));
    ex.spawn('alarm', alarm(reactor, log.deadline, seen, log));
    run(ex);
    expect(log.ranAt, `the alarm task never ran (seed ${seed})`).toBeDefined();
    const late = (log.ranAt ?? Infinity) - log.deadline;
    expect(
      late,
      `the alarm was due at t=${log.deadline} but ran at t=${String(log.ranAt)}: the consumer kept the CPU. With a budget ` +
        `of ${BUDGET} items (1 ms each) per poll it runs within ${2 * BUDGET} ms of its deadline (seed ${seed})`,
    ).toBeLessThanOrEqual(2 * BUDGET);
    expect(
      (log.consumerPollsAtRun ?? 0) - (log.consumerPollsAtFire ?? 0),
      `after its timer fired, the alarm should wait for at most one more consumer poll (seed ${seed})`,
    ).toBeLessThanOrEqual(1);
  }
});

test('each poll reads at most a budget of items', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(300, 3000);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const seen: Seen = { items: [], perPoll: [] };
    ex.spawn('consumer', consumer(reactor, [filled(n)], 1, seen));
    run(ex);
    const most = Math.max(...seen.perPoll);
    expect(most, `one poll read ${most} items; the budget allows ${BUDGET} per poll (${n} items, seed ${seed})`).toBeLessThanOrEqual(BUDGET);
    expect(
      seen.perPoll.slice(0, -1).every((k) => k === BUDGET),
      `every poll but the last should use its whole budget of ${BUDGET} items; the polls read ${seen.perPoll.join(', ')} (seed ${seed})`,
    ).toBe(true);
  }
});

test('the budget belongs to the task poll, not to one channel', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const sizes = [rng.int(200, 900), rng.int(200, 900), rng.int(200, 900)];
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const seen: Seen = { items: [], perPoll: [] };
    ex.spawn('consumer', consumer(reactor, sizes.map((n, i) => filled(n, i * 10_000)), 1, seen));
    run(ex);
    const most = Math.max(...seen.perPoll);
    expect(
      most,
      `a task reading ${sizes.length} channels in turn read ${most} items in one poll; the ${BUDGET} units are for the whole ` +
        `poll of the task, whichever leaf spends them (seed ${seed})`,
    ).toBeLessThanOrEqual(BUDGET);
    expect(seen.items.length, `every item of every channel should arrive (seed ${seed})`).toBe(sizes[0]! + sizes[1]! + sizes[2]!);
  }
});

test('10,000 items take exactly 79 polls', () => {
  const counts = [10_000, 2 * BUDGET, BUDGET - 1, ...SEEDS.map((s) => seeded(s).int(1, 5000))];
  for (const n of counts) {
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const seen: Seen = { items: [], perPoll: [] };
    ex.spawn('consumer', consumer(reactor, [filled(n)], 1, seen));
    run(ex);
    // n items plus END, BUDGET units per poll.
    const expected = Math.floor(n / BUDGET) + 1;
    expect(
      seen.perPoll.length,
      `${n} items and then END cost ${n + 1} units, ${BUDGET} per poll, so ${expected} polls; the consumer was polled ` +
        `${seen.perPoll.length} times. Spend one unit per Ready (END too), and yield only when the budget is spent`,
    ).toBe(expected);
  }
});

test('all items arrive, in order, whether the channel is full or fills in bursts', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const bursts = Array.from({ length: rng.int(2, 5) }, () => rng.pick([BUDGET, 2 * BUDGET, rng.int(1, 400)]));
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const seen: Seen = { items: [], perPoll: [] };
    const ch = new Channel<number>();
    ex.spawn('consumer', consumer(reactor, [ch], 1, seen));
    // A producer: one burst every 1000 virtual ms, then close.
    let sent = 0;
    let b = 0;
    let timer = false;
    ex.spawn('producer', {
      poll(cx: Context): Poll<string> {
        if (timer && reactor.now < (b + 1) * 1000) return Pending;
        timer = false;
        if (b === bursts.length) {
          ch.close();
          return Ready('done');
        }
        if (reactor.now >= (b + 1) * 1000) {
          for (let i = 0; i < (bursts[b] ?? 0); i++) ch.send(sent++);
          b += 1;
        }
        timer = true;
        reactor.registerTimer((b + 1) * 1000, cx.waker.clone());
        return Pending;
      },
    });
    run(ex);
    expect(seen.items, `every item should arrive once, in the order sent (bursts ${bursts.join(', ')}, seed ${seed})`).toEqual(
      Array.from({ length: sent }, (_, i) => i),
    );
    // First poll finds nothing; each burst of k needs ceil(k / BUDGET) polls; END needs one more.
    const expected = 1 + bursts.reduce((n, k) => n + Math.ceil(k / BUDGET), 0) + 1;
    expect(
      seen.perPoll.length,
      `bursts of ${bursts.join(', ')} items should take ${expected} consumer polls, not ${seen.perPoll.length}: an empty ` +
        `channel that is still open spends no budget, it keeps the waker and returns Pending (seed ${seed})`,
    ).toBe(expected);
  }
});

test('the executor gives every poll a fresh budget', () => {
  // Spend the budget outside any poll: the next poll must still get all of it.
  for (let i = 0; i < 3 * BUDGET; i++) coop.consume();
  const reactor = new VirtualReactor();
  const ex = new Executor(reactor);
  const seen: Seen = { items: [], perPoll: [] };
  ex.spawn('consumer', consumer(reactor, [filled(BUDGET + 5)], 1, seen));
  run(ex);
  expect(seen.perPoll, `the first poll should read a whole budget of ${BUDGET}`).toEqual([BUDGET, 5]);
});

test('the executor still polls only what was woken, and stops when all is done', () => {
  const reactor = new VirtualReactor();
  const ex = new Executor(reactor);
  const wakers: Waker[] = [];
  let polls = 0;
  ex.spawn('twice', {
    poll(cx: Context): Poll<string> {
      polls += 1;
      wakers.push(cx.waker.clone());
      if (polls === 1) {
        cx.waker.wake();
        cx.waker.wake();
      }
      return polls >= 3 ? Ready('done') : Pending;
    },
  });
  ex.spawn('other', { poll: (): Poll<string> => Ready('done') });
  run(ex);
  expect(ex.trace, 'two wakes during one poll queue the task once; a finished task is not polled again').toEqual([
    'twice', 'other', 'twice',
  ]);
  wakers[0]?.wake();
  wakers[0]?.wake();
  run(ex);
  expect(ex.trace.slice(3), 'two wakes from outside a poll queue the task once too').toEqual(['twice']);
  wakers[0]?.wake();
  run(ex);
  expect(polls, 'a task that returned Ready must never be polled again').toBe(3);

  // A task leaves a timer behind: run() must not wait for it once every task is done.
  const r2 = new VirtualReactor();
  const ex2 = new Executor(r2);
  ex2.spawn('leaves a timer', {
    poll(cx: Context): Poll<string> {
      r2.registerTimer(5000, cx.waker.clone());
      return Ready('done');
    },
  });
  run(ex2);
  expect(r2.now, 'run() should return once every task has finished, without waiting for a leftover timer').toBe(0);
  const [a, b] = wakers;
  expect(a !== undefined && b !== undefined && a.willWakeSame(b), "two of one task's wakers should willWakeSame each other").toBe(true);
  expect(a?.willWakeSame({ wake() {}, clone: () => a, willWakeSame: () => false }), 'and not a stranger').toBe(false);

  // The executor's poll limit still catches a task that never stops waking itself.
  const spin = new Executor(new VirtualReactor());
  let spins = 0;
  spin.spawn('spinner', { poll: (cx: Context): Poll<never> => ((spins += 1), cx.waker.wake(), Pending) });
  expect(() => spin.run(50), 'run(50) should stop a task that wakes itself for ever, naming it').toThrow(/spinner/);
  expect(spins, 'run(50) makes 50 polls, then refuses the 51st').toBe(50);
});

test('builds the budget by hand', () => {
  const found = banned(
    new URL('./coop_budget.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'the budget, the channel and the executor are built here by hand, without JavaScript timers and promises',
  );
  expect(found, found.join('\n')).toEqual([]);
});
