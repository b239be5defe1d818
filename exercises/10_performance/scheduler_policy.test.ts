import { expect, test } from 'vitest';
import { SEEDS, SpinDetected, TestExecutor, banned, seeded } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';
import { MAX_LIFO_POLLS, Scheduler } from './scheduler_policy';

/** What the scenarios need from a scheduler: the learner's, or the harness's FIFO TestExecutor. */
interface Runs {
  readonly trace: string[];
  spawn(name: string, fut: Future<unknown>): unknown;
}

/** What one run measured. */
interface Stats {
  /** For each message: polls between the one that sent it and the one that read it, plus one. */
  gaps: number[];
  /** For each background yield: how many other polls ran before that task was polled again. */
  waits: number[];
}

/** A one-slot-per-message mailbox; a send wakes the task waiting on it. Steps are trace lengths. */
class Mailbox {
  private readonly items: Array<{ value: number; sentAt: number }> = [];
  private waker: Waker | undefined;

  constructor(private readonly step: () => number, private readonly stats: Stats) {}

  send(value: number): void {
    this.items.push({ value, sentAt: this.step() });
    const w = this.waker;
    this.waker = undefined;
    w?.wake();
  }

  take(cx: Context): number | undefined {
    const item = this.items.shift();
    if (item === undefined) {
      this.waker = cx.waker.clone();
      return undefined;
    }
    this.stats.gaps.push(this.step() - item.sentAt);
    return item.value;
  }
}

/** Sends `rounds` messages to pong and waits for each reply. */
function ping(rounds: number, out: Mailbox, inbox: Mailbox): Future<string> {
  let sent = 0;
  let waiting = false;
  return {
    poll(cx): Poll<string> {
      for (;;) {
        if (!waiting) {
          if (sent === rounds) return Ready('ping done');
          out.send(sent);
          sent += 1;
          waiting = true;
        }
        if (inbox.take(cx) === undefined) return Pending;
        waiting = false;
      }
    },
  };
}

/** Answers each message; finishes after answering the last one. */
function pong(rounds: number, inbox: Mailbox, out: Mailbox): Future<string> {
  return {
    poll(cx): Poll<string> {
      for (;;) {
        const m = inbox.take(cx);
        if (m === undefined) return Pending;
        out.send(m);
        if (m === rounds - 1) return Ready('pong done');
      }
    },
  };
}

/** Yields (wakes itself, returns Pending) `times` times, then finishes. Spawning is its first wake. */
function background(times: number, step: () => number, stats: Stats): Future<string> {
  let left = times;
  let wokeAt = step();
  return {
    poll(cx): Poll<string> {
      stats.waits.push(step() - wokeAt - 1);
      if (left === 0) return Ready('background done');
      left -= 1;
      wokeAt = step();
      cx.waker.wake();
      return Pending;
    },
  };
}

interface Plan {
  rounds: number;
  yields: number[];
  names: { ping: string; pong: string; bg: string[] };
}

function setup(s: Runs, plan: Plan): Stats {
  const stats: Stats = { gaps: [], waits: [] };
  const step = () => s.trace.length;
  const toPong = new Mailbox(step, stats);
  const toPing = new Mailbox(step, stats);
  s.spawn(plan.names.ping, ping(plan.rounds, toPong, toPing));
  s.spawn(plan.names.pong, pong(plan.rounds, toPong, toPing));
  plan.yields.forEach((n, i) => s.spawn(plan.names.bg[i] ?? `bg${i}`, background(n, step, stats)));
  return stats;
}

/** A future from a poll function. */
function futureOf<T>(poll: (cx: Context) => Poll<T>): Future<T> {
  return { poll };
}

function run(s: Scheduler): void {
  try {
    s.run();
  } catch (error) {
    if (error instanceof SpinDetected) throw new Error(`run() kept polling: ${error.message}`, { cause: error });
    throw error;
  }
}

function seededPlan(seed: number): Plan {
  const rng = seeded(seed);
  const bg = rng.int(1, 5);
  const tag = rng.int(10, 99);
  return {
    rounds: rng.int(8, 30),
    yields: Array.from({ length: bg }, () => rng.int(4, 25)),
    names: { ping: `sender${tag}`, pong: `echo${tag}`, bg: Array.from({ length: bg }, (_, i) => `job${tag}_${i}`) },
  };
}

const describePlan = (p: Plan, seed: number) =>
  `${p.rounds} round trips between ${p.names.ping} and ${p.names.pong}, ${p.yields.length} background tasks yielding ` +
  `${p.yields.join(', ')} times (seed ${seed})`;

test('runs the scripted ping-pong scenario in the expected order', () => {
  const s = new Scheduler();
  setup(s, { rounds: 6, yields: [2, 2, 2], names: { ping: 'ping', pong: 'pong', bg: ['bg1', 'bg2', 'bg3'] } });
  run(s);
  expect(
    s.trace,
    'six round trips and three background tasks that yield twice. Each send wakes the other task of the pair ' +
      `into the LIFO slot, so it runs next, until ${MAX_LIFO_POLLS} slot polls in a row have run; then the slot's ` +
      'task goes to the back of the queue, behind the background tasks. Those wake themselves, so they always go ' +
      'to the back of the queue.',
  ).toEqual([
    'ping', 'pong', 'ping', 'pong', 'ping', 'bg1', 'bg2', 'bg3', 'pong', 'ping', 'pong', 'ping',
    'bg1', 'bg2', 'bg3', 'pong', 'ping', 'pong', 'ping', 'bg1', 'bg2', 'bg3',
  ]);
  expect(s.liveTasks, 'every task has finished').toBe(0);
});

test('a wake from the running task replaces the slot; yields and outside wakes go to the back', () => {
  const s = new Scheduler();
  const parked: Array<{ waker: Waker | undefined; polls: number }> = [];
  const park = (name: string, readyOn: number) => {
    const p = { waker: undefined as Waker | undefined, polls: 0 };
    parked.push(p);
    s.spawn(name, {
      poll(cx: Context): Poll<string> {
        p.polls += 1;
        p.waker = cx.waker.clone();
        return p.polls >= readyOn ? Ready(name) : Pending;
      },
    });
  };
  park('A', 2);
  park('B', 2);
  park('C', 2);
  // D wakes A then B during its first poll, and itself.
  let dPolls = 0;
  s.spawn('D', {
    poll(cx: Context): Poll<string> {
      dPolls += 1;
      if (dPolls > 1) return Ready('D');
      parked[0]?.waker?.wake();
      parked[1]?.waker?.wake();
      cx.waker.wake();
      return Pending;
    },
  });
  run(s);
  expect(
    s.trace,
    'A, B, C, D run in spawn order. D wakes A (into the slot), then B (B takes the slot, A moves to the back), ' +
      'then itself (a yield: back of the queue, behind A). So B runs next, then A, then D.',
  ).toEqual(['A', 'B', 'C', 'D', 'B', 'A', 'D']);
  // Wakes from outside any poll keep FIFO order.
  parked[2]?.waker?.wake();
  run(s);
  expect(s.trace.slice(7), 'a wake from outside a poll (here: from the test) goes to the queue').toEqual(['C']);
  expect(s.liveTasks, 'every task has finished').toBe(0);
});

test('a waiting task is queued once, and a finished one never again', () => {
  const s = new Scheduler();
  const wakers: Waker[] = [];
  let polls = 0;
  s.spawn('W', {
    poll(cx: Context): Poll<string> {
      polls += 1;
      wakers.push(cx.waker.clone());
      return polls >= 4 ? Ready('W') : Pending;
    },
  });
  let kicks = 0;
  let kWaker: Waker | undefined;
  s.spawn('K', {
    poll(cx: Context): Poll<string> {
      kicks += 1;
      kWaker = cx.waker;
      // Wakes W twice during one poll: W goes into the slot once.
      wakers[0]?.wake();
      wakers[0]?.wake();
      return kicks >= 2 ? Ready('K') : (cx.waker.wake(), Pending);
    },
  });
  run(s);
  expect(s.trace, 'W woken twice by K during one poll should run once, from the slot, right after K (each time)').toEqual([
    'W', 'K', 'W', 'K', 'W',
  ]);
  const [first] = wakers;
  first?.wake();
  first?.wake();
  run(s);
  expect(s.trace.slice(5), 'two wakes from outside a poll should queue W once').toEqual(['W']);
  first?.wake();
  run(s);
  expect(polls, 'a task that returned Ready must never be polled again, whoever wakes it').toBe(4);
  expect(s.liveTasks, 'every task has finished').toBe(0);
  const [a, b] = wakers;
  expect(a !== undefined && b !== undefined && a.willWakeSame(b), "willWakeSame should be true for two of one task's wakers").toBe(true);
  expect(kWaker !== undefined && a?.willWakeSame(kWaker), "willWakeSame should be false for two tasks' wakers").toBe(false);
});

test('a task already waiting in the queue keeps its place when the running task wakes it', () => {
  const s = new Scheduler();
  const wakers = new Map<string, Waker>();
  const polls = new Map<string, number>();
  // Each task finishes on its second poll; the first keeps its waker and waits.
  const task = (name: string, onFirst?: () => void) =>
    s.spawn(
      name,
      futureOf((cx) => {
        const n = (polls.get(name) ?? 0) + 1;
        polls.set(name, n);
        wakers.set(name, cx.waker.clone());
        if (n === 1) {
          onFirst?.();
          return Pending;
        }
        return Ready(name);
      }),
    );
  task('A');
  task('B');
  task('C');
  run(s);
  // All three wait. R is spawned, then B and C are woken from outside: the queue is R, B, C.
  task('R', () => wakers.get('C')?.wake()); // R, while running, wakes C, which is already in the queue
  wakers.get('B')?.wake();
  wakers.get('C')?.wake();
  run(s);
  expect(
    s.trace.slice(3),
    'the queue was R, B, C, and R woke C while C was already waiting behind B: a waiting task is not queued again, ' +
      'so C keeps its place (after B) and does not jump into the slot. Only a task that was not waiting goes there',
  ).toEqual(['R', 'B', 'C']);
});

test('waking a finished task changes nothing, not even the slot', () => {
  const s = new Scheduler();
  let fWaker: Waker | undefined;
  let lWaker: Waker | undefined;
  let lPolls = 0;
  s.spawn('F', futureOf((cx) => ((fWaker = cx.waker.clone()), Ready('F'))));
  s.spawn('L', futureOf((cx) => ((lWaker = cx.waker.clone()), (lPolls += 1) >= 2 ? Ready('L') : Pending)));
  let rPolls = 0;
  s.spawn('R', futureOf((cx) => {
    rPolls += 1;
    if (rPolls > 1) return Ready('R');
    lWaker?.wake();
    fWaker?.wake();
    cx.waker.wake();
    return Pending;
  }));
  s.spawn('Q', futureOf(() => Ready('Q')));
  run(s);
  expect(
    s.trace,
    'R wakes L (into the slot), then F, which has already finished: that wake must be ignored, so L keeps the slot and runs next',
  ).toEqual(['F', 'L', 'R', 'L', 'Q', 'R']);
});

test('most messages are read in the very next step', () => {
  for (const seed of SEEDS) {
    const plan = seededPlan(seed);
    const s = new Scheduler();
    const stats = setup(s, plan);
    run(s);
    const next = stats.gaps.filter((g) => g === 1).length;
    expect(stats.gaps.length, `every message should be read: ${describePlan(plan, seed)}`).toBe(2 * plan.rounds);
    expect(
      next / stats.gaps.length,
      `only ${next} of ${stats.gaps.length} messages were read by the poll right after the one that sent them; ` +
        `with the LIFO slot at least 75 % are (a FIFO queue makes every one wait behind the others): ${describePlan(plan, seed)}`,
    ).toBeGreaterThanOrEqual(0.75);
  }
});

test('background tasks are not starved', () => {
  for (const seed of SEEDS) {
    const plan = seededPlan(seed);
    const s = new Scheduler();
    const stats = setup(s, plan);
    run(s);
    const tasks = 2 + plan.yields.length;
    const limit = MAX_LIFO_POLLS + tasks - 1;
    const worst = Math.max(...stats.waits);
    expect(stats.waits.length, `each background task should be polled once after spawn and once after each yield: ${describePlan(plan, seed)}`).toBe(
      plan.yields.reduce((a, b) => a + b + 1, 0),
    );
    expect(
      worst,
      `a background task waited ${worst} polls after it was spawned or yielded; with ${tasks} tasks it should wait at most ` +
        `${limit} (each other task once, plus at most ${MAX_LIFO_POLLS} polls in a row from the LIFO slot). ` +
        `Cap the slot: ${describePlan(plan, seed)}`,
    ).toBeLessThanOrEqual(limit);
  }
});

test('the policy changes the order, not the amount of work', () => {
  for (const seed of SEEDS) {
    const plan = seededPlan(seed);
    const fifo = new TestExecutor();
    setup(fifo, plan);
    fifo.runUntilStalled();
    const s = new Scheduler();
    setup(s, plan);
    run(s);
    const count = (trace: string[]) => {
      const m = new Map<string, number>();
      for (const n of trace) m.set(n, (m.get(n) ?? 0) + 1);
      return [...m].sort(([a], [b]) => (a < b ? -1 : 1));
    };
    expect(count(s.trace), `each task should be polled as often as under FIFO: ${describePlan(plan, seed)}`).toEqual(count(fifo.trace));
    expect(s.trace, 'the LIFO slot should change the order of polls').not.toEqual(fifo.trace);
    expect(s.liveTasks, `every task should finish (seed ${seed})`).toBe(0);
  }
});

test('builds the policy by hand', () => {
  const found = banned(
    new URL('./scheduler_policy.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'the scheduler is built here from a queue, a slot and wakers, without the reference runtime or JavaScript timers and promises',
  );
  expect(found, found.join('\n')).toEqual([]);
});
