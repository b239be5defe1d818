import { expect, test } from 'vitest';
import { SEEDS, SpinDetected, VirtualReactor, banned, counted, pollWith, seeded, sleep as trustedSleep, spyWaker, type Counted } from 'async-lessons/harness';
import { Pending, Ready, ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';
import { join as libJoin } from '../_lib/combinators';
import { box, boxAllocations, type BoxFuture } from '../_lib/runtime';
import { MiniRuntime, handler, join, render, sleep, type Store } from './quiz1_mini_runtime';

/** `ms` virtual ms after creation, Ready with `value` (the trusted sleep underneath). */
function after<T>(reactor: VirtualReactor, ms: number, value: T): Future<T> {
  const s = trustedSleep(reactor, ms);
  return {
    poll: (cx: Context): Poll<T> => (s.poll(cx).ready ? Ready(value) : Pending),
    drop: () => s.drop(),
  };
}

/** Pending once after waking itself, logging each poll. */
function yieldOnce(name: string, log: string[]): Future<string> {
  let yielded = false;
  return {
    poll(cx) {
      log.push(name);
      if (yielded) return Ready(name);
      yielded = true;
      cx.waker.wake();
      return Pending;
    },
  };
}

/** Records the virtual time at which `fut` becomes Ready. */
function timed<T>(reactor: VirtualReactor, fut: Future<T>, at: { t?: number }): Future<T> {
  return {
    poll(cx) {
      const p = fut.poll(cx);
      if (p.ready) at.t = reactor.now;
      return p;
    },
  };
}

function run(rt: MiniRuntime): void {
  try {
    rt.run();
  } catch (error) {
    if (error instanceof SpinDetected) {
      throw new Error(`run() kept polling without wakes, or something kept waking itself.\n${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** A store on the virtual reactor with seeded, distinct latencies per handler id; counts its futures. */
function seededStore(reactor: VirtualReactor, rng: ReturnType<typeof seeded>, ids: number[]) {
  const latency = new Map<string, number>();
  for (const id of ids) {
    const [u = 1, p = 2] = rng.distinct(2, 1, 200);
    latency.set(`user:${id}`, u);
    latency.set(`posts:${id}`, p);
  }
  const futs: Array<Counted<string>> = [];
  const store: Store = {
    get(key) {
      const ms = latency.get(key);
      if (ms === undefined) throw new Error(`the store has no key "${key}": handler ${key} should ask for user:<id> and posts:<id>`);
      const fut = counted(after(reactor, ms, `<${key}>`), { name: `get(${key})`, maxPolls: 10 });
      futs.push(fut);
      return box(fut); // Rust: Box::pin(async move { … }) as BoxFuture<'_, String>
    },
  };
  return { store, latency, futs };
}

test('sleep is ready at its deadline, not before', () => {
  for (const seed of SEEDS) {
    const ms = seeded(seed).int(2, 500);
    const reactor = new VirtualReactor();
    const spy = spyWaker('task');
    const s = sleep(reactor, ms);
    expect(pollWith(s, spy).ready, 'a new sleep is Pending').toBe(false);
    expect(spy.wokeDuringPoll, 'sleep must wait for the reactor, not wake itself').toBe(0);
    expect(reactor.pendingTimers, 'a Pending sleep holds one timer on the reactor').toBe(1);
    expect(reactor.nextDeadline(), `the timer is due at now + ${ms}`).toBe(ms);
    reactor.advance(ms - 1);
    expect(spy.wakes, `at t=${ms - 1} the sleep is not due yet`).toBe(0);
    expect(pollWith(s, spy).ready, `at t=${ms - 1} the sleep is still Pending`).toBe(false);
    expect(reactor.pendingTimers, 'polling again must not add a second timer').toBe(1);
    reactor.advance(1);
    expect(spy.wakes, `at t=${ms} the timer fires and wakes the task once`).toBe(1);
    expect(pollWith(s, spy).ready, `at t=${ms} the sleep is Ready`).toBe(true);
    expect(reactor.pendingTimers, 'a finished sleep holds no timer').toBe(0);
  }
});

test('the deadline is fixed when sleep() is called', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ms = rng.int(20, 300);
    const late = rng.int(1, ms - 1);
    const reactor = new VirtualReactor();
    const spy = spyWaker('task');
    const s = sleep(reactor, ms);
    reactor.advance(late); // first polled late
    expect(pollWith(s, spy).ready, `sleep(${ms}) made at t=0 and first polled at t=${late} is still Pending`).toBe(false);
    expect(
      reactor.nextDeadline(),
      `sleep(${ms}) was made at t=0, so its timer is for t=${ms}, however late it is first polled: the deadline is ` +
        `fixed when sleep() is called (tokio's Sleep fixes it at creation), not at the first poll (seed ${seed})`,
    ).toBe(ms);
    reactor.advance(ms - late);
    expect(pollWith(s, spy).ready, `and it is Ready at t=${ms}`).toBe(true);
    const overdue = sleep(reactor, late);
    reactor.advance(ms);
    expect(pollWith(overdue, spy).ready, 'a sleep whose deadline passed before its first poll is Ready at once').toBe(true);
    expect(reactor.pendingTimers, 'and registers no timer').toBe(0);
  }
});

test('polled by another task, sleep wakes the new one', () => {
  for (const seed of SEEDS) {
    const ms = seeded(seed).int(2, 200);
    const reactor = new VirtualReactor();
    const first = spyWaker('first task');
    const second = spyWaker('second task');
    const s = sleep(reactor, ms);
    pollWith(s, first);
    pollWith(s, second);
    expect(reactor.pendingTimers, 'still exactly one timer').toBe(1);
    reactor.advance(ms);
    expect(
      [first.wakes, second.wakes],
      'the sleep was polled by a second task (it moved): its timer should wake the latest waker. Replace the ' +
        'registration with cx.waker on every Pending poll (registerTimer(deadline, waker, id))',
    ).toEqual([0, 1]);
  }
});

test('a Ready sleep leaves no timer behind', () => {
  for (const seed of SEEDS) {
    const ms = seeded(seed).int(2, 200);
    const reactor = new VirtualReactor();
    const spy = spyWaker('task');
    const s = sleep(reactor, ms);
    pollWith(s, spy);
    reactor.cpu(ms); // blocking work: the clock passes the deadline, the timer has not fired yet
    expect(pollWith(s, spy).ready, `at t=${ms} the sleep is Ready, even before its timer fired`).toBe(true);
    expect(
      reactor.pendingTimers,
      'the sleep returned Ready while its timer was still registered: cancel it (cancelTimer) before returning ' +
        'Ready, or it fires later and wakes a task for nothing',
    ).toBe(0);
    reactor.turn();
    expect(spy.wakes, 'nobody is woken afterwards').toBe(0);
  }
});

test('dropping a sleep cancels its timer', () => {
  const reactor = new VirtualReactor();
  const spy = spyWaker('task');
  const s = sleep(reactor, 50);
  pollWith(s, spy);
  s.drop?.();
  expect(reactor.pendingTimers, 'drop() should cancel the timer').toBe(0);
  reactor.advance(100);
  expect(spy.wakes, 'a dropped sleep wakes nobody').toBe(0);
});

test('join gives both values in order and drops both sides', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const [fast = 1, slow = 2] = rng.distinct(2, 1, 300).sort((x, y) => x - y);
    const reactor = new VirtualReactor();
    const a = counted(after(reactor, slow, `a${seed}`), { name: 'a' });
    const b = counted(after(reactor, fast, `b${seed}`), { name: 'b' });
    const j = join(a, b);
    const spy = spyWaker('task');
    expect(pollWith(j, spy).ready, 'nothing is done yet').toBe(false);
    reactor.turn();
    expect(pollWith(j, spy).ready, `at t=${fast} only b is done`).toBe(false);
    reactor.turn();
    const p = pollWith(j, spy);
    expect(p.ready && p.value, `join(a, b) gives [a's value, b's value], whatever finished first (seed ${seed})`).toEqual([`a${seed}`, `b${seed}`]);
    expect(b.polls, 'a finished side must not be polled again').toBe(2);
    const c = counted(after(reactor, 10, 'c'), { name: 'c' });
    const d = counted(after(reactor, 20, 'd'), { name: 'd' });
    const j2 = join(c, d);
    pollWith(j2, spy);
    j2.drop?.();
    expect([c.drops, d.drops], 'dropping a join drops both unfinished sides').toEqual([1, 1]);
  }
});

test('spawned tasks run in FIFO order', () => {
  const reactor = new VirtualReactor();
  const rt = new MiniRuntime(reactor);
  const log: string[] = [];
  for (const name of ['A', 'B', 'C']) rt.spawn(counted(yieldOnce(name, log), { name, maxPolls: 10 }));
  run(rt);
  expect(
    log,
    'A, B and C each yield once: first come their first polls in spawn order, then, in the order they ' +
      'woke, their second polls',
  ).toEqual(['A', 'B', 'C', 'A', 'B', 'C']);
});

/** A future the test wakes by hand: Pending until its `readyOnPoll`-th poll, keeping the latest waker. */
function parked<T>(readyOnPoll: number, value: T): Future<T> & { waker: Waker | undefined; polls: number } {
  const f = {
    waker: undefined as Waker | undefined,
    polls: 0,
    poll(cx: Context): Poll<T> {
      f.polls += 1;
      f.waker = cx.waker.clone();
      return f.polls >= readyOnPoll ? Ready(value) : Pending;
    },
  };
  return f;
}

test('a task woken twice before its poll is polled once', () => {
  const reactor = new VirtualReactor();
  const rt = new MiniRuntime(reactor);
  const fut = parked(3, 'x');
  rt.spawn(counted(fut, { name: 'parked', maxPolls: 10 }));
  run(rt);
  fut.waker?.wake();
  fut.waker?.wake();
  run(rt);
  expect(fut.polls, 'two wakes before the next poll ask for one poll: queue a task only if it is not queued already').toBe(2);
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const latency = rng.int(1, 200);
    const r = new VirtualReactor();
    const rt2 = new MiniRuntime(r);
    // Both gets answer at the same moment: two wakes in one turn.
    const store: Store = { get: (key) => box(after(r, latency, `<${key}>`)) };
    const id = rng.int(1, 999);
    const h = counted(handler(r, store, id), { name: `handler(${id})`, maxPolls: 12 });
    rt2.spawn(h);
    run(rt2);
    expect(h.done, `handler(${id}) should finish`).toBe(true);
    expect(
      h.polls,
      `both gets answer at t=${latency}, waking the handler twice before its next poll: that is one poll, so 3 in ` +
        `all (start, both gets, the sleep) (seed ${seed})`,
    ).toBe(3);
    expect(h.unwokenPolls, 'no poll without a wake').toBe(0);
  }
});

test('a handle whose task returns undefined, 0 or false is Ready', () => {
  const reactor = new VirtualReactor();
  const rt = new MiniRuntime(reactor);
  const outputs: unknown[] = [undefined, 0, false, '', null];
  const handles = outputs.map((v, i) => rt.spawn(counted(after(reactor, 10 * (i + 1), v), { name: `task ${i}`, maxPolls: 10 })));
  let seen: unknown = 'not yet';
  const first = handles[0];
  if (first !== undefined) {
    rt.spawn({
      poll(cx) {
        const p = first.poll(cx);
        if (!p.ready) return Pending;
        seen = p.value;
        return Ready(undefined);
      },
    });
  }
  run(rt);
  const spy = spyWaker('outside');
  expect(
    handles.map((h) => pollWith(h, spy)),
    'every task finished, including the ones whose value is undefined, 0, false, \'\' or null: their handles are ' +
      'Ready with those values. Mark "no result yet" with an empty slot, not with a value a task may return',
  ).toEqual(outputs.map((value) => ({ ready: true, value })));
  expect(seen, 'a task waiting on the handle of a Future<void> gets undefined').toBeUndefined();
});

test('run() returns with results ready, synchronously', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const rt = new MiniRuntime(reactor);
    const delays = Array.from({ length: 5 }, () => rng.int(1, 300));
    const handles = delays.map((ms, i) => rt.spawn(counted(after(reactor, ms, i * 10), { name: `task ${i}`, maxPolls: 10 })));
    const first = handles[0];
    let seenByTask: number | undefined;
    if (first !== undefined) {
      // A task can wait for another task's handle too.
      const waiter: Future<void> = {
        poll(cx) {
          const p = first.poll(cx);
          if (!p.ready) return Pending;
          seenByTask = p.value;
          return Ready(undefined);
        },
      };
      rt.spawn(counted(waiter, { name: 'waiter', maxPolls: 10 }));
    }
    run(rt);
    const spy = spyWaker('outside');
    expect(
      handles.map((h) => {
        const p = pollWith(h, spy);
        return p.ready ? p.value : 'Pending';
      }),
      `right after run() returns, with no await, every handle should be Ready with its task's value (seed ${seed})`,
    ).toEqual(delays.map((_, i) => i * 10));
    expect(seenByTask, 'a task waiting on a handle gets the value').toBe(0);
    expect(reactor.now, 'run() returns when the last timer has fired').toBe(Math.max(...delays));
  }
});

test('a handle polled by another task wakes the latest poller', () => {
  for (const seed of SEEDS) {
    const reactor = new VirtualReactor();
    const rt = new MiniRuntime(reactor);
    const h = rt.spawn(counted(after(reactor, seeded(seed).int(1, 200), seed), { name: 'task', maxPolls: 10 }));
    const first = spyWaker('first task');
    const second = spyWaker('second task');
    expect(pollWith(h, first).ready, 'the task has not run yet: Pending').toBe(false);
    expect(pollWith(h, second).ready, 'still Pending').toBe(false);
    run(rt);
    expect(
      [first.wakes, second.wakes],
      'the handle was polled by a second task after the first: when the task finishes, wake the waker of the ' +
        'latest poll (replace the stored waiter on every Pending poll)',
    ).toEqual([0, 1]);
  }
});

test('20 handlers finish at max(store latency) + 10', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ids = rng.distinct(20, 1, 999);
    const reactor = new VirtualReactor();
    const { store, latency } = seededStore(reactor, rng, ids);
    const rt = new MiniRuntime(reactor);
    const times = ids.map(() => ({}) as { t?: number });
    const handles = ids.map((id, i) =>
      rt.spawn(timed(reactor, counted(handler(reactor, store, id), { name: `handler(${id})`, maxPolls: 12 }), times[i] ?? {})),
    );
    run(rt);
    const spy = spyWaker('outside');
    ids.forEach((id, i) => {
      const p = pollWith(handles[i] ?? handles[0]!, spy);
      expect(p.ready && p.value, `handler(${id}) renders its user and posts (seed ${seed})`).toBe(render(`<user:${id}>`, `<posts:${id}>`));
      const due = Math.max(latency.get(`user:${id}`) ?? 0, latency.get(`posts:${id}`) ?? 0) + 10;
      expect(
        times[i]?.t,
        `handler(${id}) should finish at t=${due}: both gets run at the same time (join), and the 10 ms sleep ` +
          `starts only after both answered (seed ${seed})`,
      ).toBe(due);
    });
  }
});

test('handler starts nothing before its first poll', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ids = rng.distinct(3, 1, 999);
    const reactor = new VirtualReactor();
    const { store, latency, futs } = seededStore(reactor, rng, ids);
    const made = ids.map((id) => handler(reactor, store, id));
    expect(
      futs.length,
      'handler() was called but its future not polled yet, and it already called store.get: a Rust future does ' +
        'nothing until it is polled (JavaScript async functions start at once; Rust async fns do not)',
    ).toBe(0);
    const start = rng.int(5, 100);
    reactor.advance(start);
    const rt = new MiniRuntime(reactor);
    const times = ids.map(() => ({}) as { t?: number });
    made.forEach((h, i) => rt.spawn(timed(reactor, counted(h, { name: `handler(${ids[i]})`, maxPolls: 12 }), times[i] ?? {})));
    run(rt);
    ids.forEach((id, i) => {
      const due = start + Math.max(latency.get(`user:${id}`) ?? 0, latency.get(`posts:${id}`) ?? 0) + 10;
      expect(times[i]?.t, `handler(${id}) first polled at t=${start} should finish at t=${due} (seed ${seed})`).toBe(due);
    });
    expect(futs.length, 'each handler calls store.get exactly twice').toBe(2 * ids.length);
  }
});

test('dropping a handler mid-way drops what it started', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const [id = 1] = rng.distinct(1, 1, 999);
    const reactor = new VirtualReactor();
    const { store, latency, futs } = seededStore(reactor, rng, [id]);
    const spy = spyWaker('task');
    const h = handler(reactor, store, id);
    expect(pollWith(h, spy).ready, 'the first poll is Pending: both gets are waiting').toBe(false);
    expect(h.drop, 'the handler future needs a drop() method (Rust drops the async fn state machine)').toBeTypeOf('function');
    h.drop?.();
    expect(
      futs.map((f) => f.drops),
      'dropping the handler while it awaits the join should drop both store futures (once each)',
    ).toEqual([1, 1]);
    expect(reactor.pendingTimers, 'and so cancel their timers').toBe(0);
    const h2 = handler(reactor, store, id);
    pollWith(h2, spy);
    const both = Math.max(latency.get(`user:${id}`) ?? 0, latency.get(`posts:${id}`) ?? 0);
    reactor.advance(both);
    expect(pollWith(h2, spy).ready, 'both gets have answered; the handler now sleeps').toBe(false);
    h2.drop?.();
    expect(reactor.pendingTimers, "dropping the handler while it sleeps should cancel the sleep's timer").toBe(0);
  }
});

test('handler works over any Store, whatever future it returns', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const rt = new MiniRuntime(reactor);
    // Two implementations behind one interface, as with &dyn Store: a slow one (boxed timers) and a
    // cache whose futures are Ready on their first poll (boxed too).
    const slowIds = rng.distinct(3, 1, 999);
    const { store: slow, latency } = seededStore(reactor, rng, slowIds);
    const cachePolls: Array<Counted<string>> = [];
    const cache: Store = {
      get(key): BoxFuture<string> {
        const f = counted(ready(`[${key}]`), { name: `cache.get(${key})` });
        cachePolls.push(f);
        return box(f);
      },
    };
    const cachedId = rng.int(1000, 1999);
    const before = boxAllocations();
    const times = [...slowIds, cachedId].map(() => ({}) as { t?: number });
    const capped = (h: Future<string>, name: string) => counted(h, { name, maxPolls: 12 });
    const handles = slowIds.map((id, i) => rt.spawn(timed(reactor, capped(handler(reactor, slow, id), `handler(${id})`), times[i] ?? {})));
    const cached = rt.spawn(timed(reactor, capped(handler(reactor, cache, cachedId), `handler(${cachedId})`), times[slowIds.length] ?? {}));
    run(rt);
    const spy = spyWaker('outside');
    expect(pollWith(cached, spy), 'a handler over the cache renders the cached values').toEqual(
      Ready(render(`[user:${cachedId}]`, `[posts:${cachedId}]`)),
    );
    expect(
      times[slowIds.length]?.t,
      'both cached gets are Ready on their first poll, so the 10 ms sleep starts at t=0 and the handler is done at ' +
        't=10: go straight on to the next state in the same poll',
    ).toBe(10);
    expect(cachePolls.map((f) => f.polls), 'a get that was Ready is never polled again').toEqual([1, 1]);
    slowIds.forEach((id, i) => {
      const p = pollWith(handles[i]!, spy);
      expect(p.ready && p.value, `handler(${id}) over the slow store`).toBe(render(`<user:${id}>`, `<posts:${id}>`));
      const due = Math.max(latency.get(`user:${id}`) ?? 0, latency.get(`posts:${id}`) ?? 0) + 10;
      expect(times[i]?.t, `handler(${id}) finishes at t=${due}`).toBe(due);
    });
    expect(boxAllocations() - before, 'each handler asks its store for exactly two futures (one box each)').toBe(2 * (slowIds.length + 1));
  }
});

test('handler tasks are polled only when woken', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ids = rng.distinct(20, 1, 999);
    const reactor = new VirtualReactor();
    const { store, futs } = seededStore(reactor, rng, ids);
    const rt = new MiniRuntime(reactor);
    const tasks = ids.map((id) => counted(handler(reactor, store, id), { name: `handler(${id})`, maxPolls: 12 }));
    tasks.forEach((t) => rt.spawn(t));
    run(rt);
    tasks.forEach((t, i) => {
      const name = `handler(${ids[i]})`;
      expect(t.done, `${name} should finish`).toBe(true);
      expect(t.unwokenPolls, `${name} was polled without a wake: poll only the tasks the queue holds (seed ${seed})`).toBe(0);
      expect(
        t.polls,
        `${name} needs at most 4 polls: one to start, one per get that answers, one when its sleep ends (seed ${seed})`,
      ).toBeLessThanOrEqual(4);
    });
    expect(
      futs.every((f) => f.polls <= 3),
      'each store future should be polled at most 3 times (start, its own wake, and at most one wake of its partner)',
    ).toBe(true);
  }
});

test('nothing wakes itself during a poll', () => {
  const rng = seeded(SEEDS[1] ?? 42);
  const ids = rng.distinct(20, 1, 999);
  const reactor = new VirtualReactor();
  const { store, futs } = seededStore(reactor, rng, ids);
  const rt = new MiniRuntime(reactor);
  const tasks = ids.map((id) => counted(handler(reactor, store, id), { name: `handler(${id})`, maxPolls: 12 }));
  tasks.forEach((t) => rt.spawn(t));
  run(rt);
  expect(tasks.reduce((n, t) => n + t.wokeDuringPoll, 0), 'no handler should wake itself while being polled').toBe(0);
  expect(futs.reduce((n, f) => n + f.wokeDuringPoll, 0), 'no store future was woken during its poll').toBe(0);
});

test('uses no Promise, async, await or timers', () => {
  const found = banned(
    new URL('./quiz1_mini_runtime.ts', import.meta.url),
    [
      'Promise',
      'async',
      'await',
      'setTimeout',
      'setImmediate',
      'queueMicrotask',
      'any',
      'ts-directives',
      'import:async-lessons',
      'import:../_lib/runtime',
      'import:../_lib/combinators',
      'import:node:timers',
    ],
    "the runtime is yours: time comes only from the reactor, and the course library's runtime and combinators stay out",
  );
  expect(found, found.join('\n')).toEqual([]);
  expect(join === libJoin, "join is the course library's join (../_lib/combinators): write your own").toBe(false);
});
