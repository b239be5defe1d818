import { expect, test } from 'vitest';
import { SEEDS, VirtualReactor, banned, seeded, sleep, type Context, type Future, type Poll, type Sleep, type Waker } from 'async-lessons/harness';
import { Executor, type Reactor, type SlowPoll } from './slow_poll_detector';

/**
 * A task that, on each of its polls, does `steps[i].cpu` ms of blocking work and then sleeps
 * `steps[i].sleep` ms: one step per poll. `finishedAt` is the virtual time it returned Ready.
 */
function job(reactor: VirtualReactor, steps: Array<{ cpu: number; sleep: number }>) {
  let i = 0;
  let nap: Sleep | undefined;
  const out = {
    polls: 0,
    finishedAt: undefined as number | undefined,
    poll(cx: Context): Poll<void> {
      out.polls += 1;
      for (;;) {
        if (nap !== undefined) {
          if (!nap.poll(cx).ready) return { ready: false };
          nap = undefined;
          i += 1;
          if (i === steps.length) {
            out.finishedAt = reactor.now;
            return { ready: true, value: undefined };
          }
        }
        const step = steps[i];
        if (step === undefined) throw new Error('job polled after it finished');
        reactor.cpu(step.cpu);
        nap = sleep(reactor, step.sleep);
        if (!nap.poll(cx).ready) return { ready: false };
      }
    },
  };
  return out satisfies Future<void>;
}

/** Only what the Reactor interface offers: no way to read the reactor's own lateness record. */
function view(reactor: VirtualReactor): Reactor {
  return {
    get now() {
      return reactor.now;
    },
    nextDeadline: () => reactor.nextDeadline(),
    turn: () => reactor.turn(),
  };
}

function setup(slowPollMs?: number) {
  const reactor = new VirtualReactor();
  const reports: SlowPoll[] = [];
  const ex = new Executor({ reactor: view(reactor), onSlowPoll: (r) => reports.push({ ...r }), ...(slowPollMs === undefined ? {} : { slowPollMs }) });
  return { reactor, reports, ex };
}

test('one blocking poll is reported once, with its task and length', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const blockMs = rng.int(51, 400);
    const napMs = rng.int(1, blockMs - 1);
    const { reactor, reports, ex } = setup();
    const b = job(reactor, [{ cpu: 0, sleep: napMs }]);
    const a = job(reactor, [{ cpu: blockMs, sleep: 1 }]);
    ex.spawn('B', b); // B starts its sleep first…
    ex.spawn('A', a); // …then A blocks the thread
    ex.run();
    expect(b.finishedAt !== undefined && a.finishedAt !== undefined, 'both tasks finish: the executor still runs them').toBe(true);
    expect(
      reports,
      `task A did ${blockMs} ms of blocking work (reactor.cpu) in one poll: time each poll on the reactor's clock ` +
        `(reactor.now before and after) and call onSlowPoll once for it (seed ${seed})`,
    ).toEqual([{ task: 'A', ms: blockMs }]);
    expect(
      ex.stats.maxTimerLatency,
      `B's timer was due at ${napMs} ms, but A held the thread until ${blockMs} ms: when the executor could turn the ` +
        `reactor, the timer was ${blockMs - napMs} ms late (seed ${seed})`,
    ).toBe(blockMs - napMs);
    expect(b.finishedAt, 'B runs right after A lets go').toBe(blockMs);
  }
});

test('a run without blocking reports nothing', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const { reactor, reports, ex } = setup();
    const jobs = Array.from({ length: rng.int(2, 5) }, () =>
      job(reactor, Array.from({ length: rng.int(1, 4) }, () => ({ cpu: rng.int(0, 2), sleep: rng.int(60, 500) }))),
    );
    jobs.forEach((j, k) => ex.spawn(`job ${k}`, j));
    ex.run();
    expect(jobs.every((j) => j.finishedAt !== undefined), 'every task finishes').toBe(true);
    expect(
      reports,
      'no poll did more than 2 ms of work; the long gaps are sleeps, when no task runs at all. Time each poll on its own ' +
        `(seed ${seed})`,
    ).toEqual([]);
    expect(
      ex.stats.maxTimerLatency,
      'every timer fired on time: the executor turned the reactor as soon as it had nothing to run (a jump ahead to ' +
        'the next deadline is not lateness)',
    ).toBe(0);
  }
});

test('more than the limit is slow, the limit itself is not', () => {
  const { reactor, reports, ex } = setup();
  ex.spawn('at limit', job(reactor, [{ cpu: 50, sleep: 10 }]));
  ex.spawn('over', job(reactor, [{ cpu: 51, sleep: 10 }]));
  ex.run();
  expect(reports, 'slow means MORE than slowPollMs (default 50)').toEqual([{ task: 'over', ms: 51 }]);
});

test('slowPollMs sets the limit', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const limit = rng.int(5, 200);
    const { reactor, reports, ex } = setup(limit);
    ex.spawn('under', job(reactor, [{ cpu: limit, sleep: 5 }]));
    ex.spawn('over', job(reactor, [{ cpu: limit + 1, sleep: 5 }]));
    ex.run();
    expect(reports, `with slowPollMs: ${limit}, only a poll of more than ${limit} ms is slow (seed ${seed})`).toEqual([{ task: 'over', ms: limit + 1 }]);
  }
});

test('each poll is timed on its own', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const { reactor, reports, ex } = setup();
    const short = Array.from({ length: rng.int(3, 6) }, () => ({ cpu: rng.int(20, 50), sleep: rng.int(1, 30) }));
    const long = [rng.int(51, 120), rng.int(0, 50), rng.int(51, 120)];
    ex.spawn('chatty', job(reactor, short));
    ex.spawn('heavy', job(reactor, long.map((cpu) => ({ cpu, sleep: rng.int(1, 30) }))));
    ex.run();
    expect(
      reports,
      `"chatty" did at most 50 ms per poll (more in total); "heavy" did ${long.join(', ')} ms in its three polls. ` +
        `Report each slow poll, in the order they happened (seed ${seed})`,
    ).toEqual([
      { task: 'heavy', ms: long[0] },
      { task: 'heavy', ms: long[2] },
    ]);
  }
});

test('maxTimerLatency keeps the largest delay', () => {
  SEEDS.forEach((seed, k) => {
    const rng = seeded(seed);
    const big = rng.int(100, 300);
    const small = rng.int(10, 90);
    // Half the runs have the larger delay first, half last: "the largest" is neither the first nor the latest.
    const [first, second] = k % 2 === 0 ? [big, small] : [small, big];
    const { reactor, ex } = setup();
    // Timer due at 10, thread blocked until 10 + first; later a timer due at t, blocked until t + second.
    const sleeper = job(reactor, [{ cpu: 0, sleep: 10 }, { cpu: 0, sleep: 1002 - first }, { cpu: 0, sleep: 1 }]);
    const blocker = job(reactor, [{ cpu: 10 + first, sleep: 1000 - first + 1 }, { cpu: second, sleep: 1 }]);
    ex.spawn('sleeper', sleeper);
    ex.spawn('blocker', blocker);
    ex.run();
    expect(sleeper.finishedAt !== undefined && blocker.finishedAt !== undefined).toBe(true);
    expect(
      ex.stats.maxTimerLatency,
      `timers were late by ${first} ms and later by ${second - 1} ms: stats.maxTimerLatency is the largest, ` +
        `not the latest, nor the first (seed ${seed})`,
    ).toBe(Math.max(first, second - 1));
  });
});

test('a slow poll is reported whether the task returns Pending or finishes', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const { reactor, reports, ex } = setup();
    const lastMs = rng.int(51, 300);
    const onlyMs = rng.int(51, 300);
    // "finisher" sleeps once, then does its blocking work in the poll that returns Ready.
    let nap: Sleep | undefined;
    ex.spawn('finisher', {
      poll(cx: Context): Poll<void> {
        nap ??= sleep(reactor, rng.int(1, 40));
        if (!nap.poll(cx).ready) return { ready: false };
        reactor.cpu(lastMs);
        return { ready: true, value: undefined };
      },
    });
    // "oneshot" blocks in its first and only poll.
    ex.spawn('oneshot', {
      poll(): Poll<void> {
        reactor.cpu(onlyMs);
        return { ready: true, value: undefined };
      },
    });
    ex.run();
    expect(
      reports,
      `"oneshot" did ${onlyMs} ms of blocking work in the poll that returned Ready, and "finisher" ${lastMs} ms in its ` +
        `last poll: a poll is slow by how long it took, whatever it returned (seed ${seed})`,
    ).toEqual([
      { task: 'oneshot', ms: onlyMs },
      { task: 'finisher', ms: lastMs },
    ]);
  }
});

test('measuring changes nothing about scheduling', () => {
  const { reactor, reports, ex } = setup();
  let stored: Waker | undefined;
  const target = { polls: 0 };
  ex.spawn('target', {
    poll(cx: Context): Poll<string> {
      target.polls += 1;
      if (target.polls > 2) throw new Error('target polled after it returned Ready');
      if (stored === undefined) {
        stored = cx.waker.clone();
        return { ready: false };
      }
      return { ready: true, value: 'done' };
    },
  });
  const waker = job(reactor, [{ cpu: 0, sleep: 5 }]);
  ex.spawn('waker', {
    poll(cx: Context): Poll<void> {
      stored?.wake();
      stored?.wake(); // two wakes before the next poll ask for one poll
      return waker.poll(cx);
    },
  });
  // A task whose sleep another task polled last: only the newest poller's waker may wake it.
  const shared = sleep(reactor, 20);
  ex.spawn('first', { poll: (cx: Context): Poll<void> => (shared.poll(cx), { ready: true, value: undefined }) });
  let second: number | undefined;
  ex.spawn('second', {
    poll(cx: Context): Poll<void> {
      if (!shared.poll(cx).ready) return { ready: false };
      second = reactor.now;
      return { ready: true, value: undefined };
    },
  });
  reactor.registerTimer(1_000_000, { wake() {}, clone() { return this; }, willWakeSame: () => false }); // nobody's
  ex.run();
  expect(target.polls, 'woken twice before it ran, the task is polled once more, not twice').toBe(2);
  expect(waker.finishedAt, 'the other tasks finish as before').toBe(5);
  expect(second, 'the task that polled the shared sleep last is woken at its deadline').toBe(20);
  expect(
    [reactor.now, reactor.pendingTimers],
    'once every task has finished, run() returns: it does not turn the reactor for timers nobody waits on',
  ).toEqual([20, 1]);
  expect(reports).toEqual([]);
});

test('measures on the reactor clock, with nothing borrowed', () => {
  const found = banned(
    new URL('./slow_poll_detector.ts', import.meta.url),
    ['Date', 'performance', 'hrtime', 'maxTimerLateness', 'import:node:perf_hooks', 'import:async-lessons', 'import:../_lib/runtime'],
    'time polls with reactor.now, before and after each poll',
  );
  expect(found, found.join('\n')).toEqual([]);
});
