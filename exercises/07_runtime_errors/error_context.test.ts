import { expect, test } from 'vitest';
import { banned, counted, pollWith, pristine, seeded, sleep, spyWaker, SEEDS, VirtualReactor, type Rng } from 'async-lessons/harness';
import { Pending, Ready, type Future } from '../_lib/future';
import { FetchTwo, runTasks, withContext, type Db } from './error_context';

/** The messages along an error's cause chain, and the last link. */
function chain(err: unknown): { messages: string[]; last: unknown } {
  const messages: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 10 && e instanceof Error; i++) {
    messages.push(e.message);
    if (e.cause === undefined) break;
    e = e.cause;
  }
  return { messages, last: e };
}

/** A db whose reads finish after a delay; one key (if any) fails with the given error when its timer fires. */
function database(reactor: VirtualReactor, rng: Rng, failing?: { key: string; error: Error; atOnce?: boolean }) {
  const drops: string[] = [];
  const db: Db = {
    get(key) {
      const timer = sleep(reactor, rng.int(5, 40));
      return {
        poll(cx) {
          if (failing?.atOnce === true && key === failing.key) throw failing.error;
          if (!timer.poll(cx).ready) return Pending;
          if (failing !== undefined && key === failing.key) throw failing.error;
          return Ready(`value of ${key}`);
        },
        drop() {
          drops.push(key);
          timer.drop();
        },
      };
    },
  };
  return { db, drops };
}

/** Passes polls through, and notes whether the future threw and was polled again afterwards. */
function watch<T>(f: Future<T>) {
  const w = {
    threw: false,
    pollsAfterThrow: 0,
    drops: 0,
    poll(cx: Parameters<Future<T>['poll']>[0]) {
      if (w.threw) w.pollsAfterThrow += 1;
      try {
        return f.poll(cx);
      } catch (e) {
        if (!w.threw) cx.waker.wake(); // a wake that arrives for a task that has failed (a timer it left behind)
        w.threw = true;
        throw e;
      }
    },
    drop() {
      w.drops += 1;
      f.drop?.();
    },
  };
  return w;
}

const word = (rng: Rng) => rng.pick(['users', 'posts', 'likes', 'tags', 'feed', 'mail']) + rng.int(1, 9);

test('the error says task, state and read, down to the original error', () => {
  for (const [seed, failB, atOnce] of SEEDS.flatMap((sd) => [false, true].flatMap((b) => [false, true].map((o) => [sd, b, o] as const)))) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const [keyA, keyB] = [word(rng), `${word(rng)}x`];
    const original = new Error(rng.pick(['boom', 'connection reset', 'timeout']));
    // atOnce: the read fails on its first poll, i.e. in the same poll of FetchTwo that started it.
    const { db } = database(reactor, rng, { key: failB ? keyB : keyA, error: original, atOnce });
    const name = `user-${rng.int(1, 999)}`;
    const out = runTasks([[name, new FetchTwo(db, keyA, keyB)]], reactor);
    const outcome = out.get(name);
    expect(outcome?.ok, `task "${name}" should have failed (its read of ${failB ? keyB : keyA} throws), and runTasks should report it`).toBe(false);
    const error = outcome !== undefined && !outcome.ok ? outcome.error : undefined;
    const { messages, last } = chain(error);
    const want = [`task "${name}"`, `fetch_two[${failB ? 'AwaitB' : 'AwaitA'}]`, `db.get(${JSON.stringify(failB ? keyB : keyA)})`, original.message];
    expect(
      messages.join(' > '),
      `following .cause from the task's error should read ${want.join(' > ')} (seed ${seed}${atOnce ? ', the read failing on its first poll' : ''}); each layer's message is its own label only, and the state is the one FetchTwo was in when the child failed`,
    ).toBe(want.join(' > '));
    expect(pristine.Object.is(last, original), 'the cause chain should end at the very error the db threw (not a copy)').toBe(true);
  }
});

test('the other tasks run on and finish', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const original = new Error('boom');
    const { db } = database(reactor, rng, { key: 'bad', error: original });
    const names = Array.from({ length: rng.int(3, 6) }, (_, i) => `t${i}`);
    const badAt = rng.int(0, names.length - 1);
    const tasks: Array<[string, Future<unknown>]> = names.map((n, i) => [n, i === badAt ? new FetchTwo(db, 'bad', 'b') : new FetchTwo(db, `a${i}`, `b${i}`)]);
    const watched = tasks.map(([, f]) => watch(f));
    const out = runTasks(
      names.map((n, i) => [n, watched[i]!]),
      reactor,
    );
    for (const [i, n] of names.entries()) {
      const o = out.get(n);
      if (i === badAt) {
        expect(o?.ok, `task ${n} (the failing one) should be reported as failed`).toBe(false);
        continue;
      }
      expect(o, `task ${n} should still finish after task t${badAt} failed (seed ${seed})`).toEqual({ ok: true, value: [`value of a${i}`, `value of b${i}`] });
    }
    const bad = watched[badAt]!;
    expect(bad.threw, 'the failing task threw from its poll').toBe(true);
    expect(bad.pollsAfterThrow, 'a task whose poll threw is over: it must never be polled again').toBe(0);
    expect(bad.drops, 'and it is dropped, once (Rust drops a panicked task\'s future)').toBe(1);
    expect(watched.filter((w, i) => i !== badAt && w.drops > 0).length, 'the tasks that finished are not dropped by runTasks').toBe(0);
  }
});

test('withContext behaves like the future it wraps', () => {
  for (const seed of SEEDS.slice(0, 4)) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ms = rng.int(5, 50);
    const value = rng.int(0, 1e6);
    const timer = sleep(reactor, ms);
    const inner = counted<number>({ poll: (cx) => (timer.poll(cx).ready ? Ready(value) : Pending), drop: () => timer.drop() }, { name: 'inner', maxPolls: 10 });
    const wrapped = withContext(inner, 'label');
    const spy = spyWaker('task');
    expect(pollWith(wrapped, spy).ready, 'Pending passes through').toBe(false);
    expect(reactor.pendingTimers, "the inner future registered its timer with the poll's waker").toBe(1);
    reactor.advance(ms);
    expect(spy.wakes, "the inner future's wake reaches the task").toBe(1);
    const p = pollWith(wrapped, spy);
    expect(p.ready ? p.value : 'Pending', 'Ready passes through with its value').toBe(value);
    expect(inner.polls, 'one inner poll per outer poll').toBe(2);
    const other = counted<number>({ poll: () => Pending }, { name: 'other', maxPolls: 5 });
    const w2 = withContext(other, 'x');
    w2.drop?.();
    expect(other.drops, 'drop() is passed on to the wrapped future').toBe(1);
  }
});

test('withContext labels an error with its label only', () => {
  const original = new TypeError('bad input');
  const label = `step ${seeded(SEEDS[0]!).int(1, 99)}`;
  const wrapped = withContext<number>({ poll: () => { throw original; } }, label);
  let thrown: unknown;
  try {
    pollWith(wrapped, spyWaker('t'));
  } catch (e) {
    thrown = e;
  }
  expect(thrown instanceof Error ? thrown.message : thrown, 'the thrown error\'s message is the label').toBe(label);
  expect(thrown instanceof Error && pristine.Object.is(thrown.cause, original), 'and its cause is the inner error itself').toBe(true);
});

test('FetchTwo: drop passes on to the read in flight, and a finished one refuses a poll', () => {
  const rng = seeded(SEEDS[1]!);
  const reactor = new VirtualReactor();
  const { db, drops } = database(reactor, rng);
  const f = new FetchTwo(db, 'k1', 'k2');
  const spy = spyWaker('t');
  expect(pollWith(f, spy).ready, 'waits for the first read').toBe(false);
  f.drop();
  expect(drops, 'dropping FetchTwo while it waits for k1 drops that read').toEqual(['k1']);
  expect(reactor.pendingTimers, 'and its timer').toBe(0);
  const g = new FetchTwo(db, 'k3', 'k4');
  let p = pollWith(g, spy);
  for (let i = 0; i < 10 && !p.ready; i++) {
    reactor.turn();
    p = pollWith(g, spy);
  }
  expect(p.ready ? p.value : 'Pending', 'a FetchTwo gives both values').toEqual(['value of k3', 'value of k4']);
  expect(() => pollWith(g, spy), 'polling it after Ready throws').toThrow();
});

test('runTasks: one poll per wake, and it stops when the tasks are done', () => {
  const reactor = new VirtualReactor();
  const spy = spyWaker('stray');
  reactor.registerTimer(10_000, spy.waker); // a timer nobody waits for
  const seen: boolean[] = [];
  let polls = 0;
  let timer: ReturnType<typeof sleep> | undefined;
  const wakers: Array<{ willWakeSame(o: unknown): boolean }> = [];
  const twice: Future<string> = {
    poll(cx) {
      polls += 1;
      wakers.push(cx.waker);
      seen.push(cx.waker.willWakeSame(cx.waker.clone()));
      if (polls === 1) {
        cx.waker.wake();
        cx.waker.wake(); // two wakes before the next poll ask for one poll
        return Pending;
      }
      timer ??= sleep(reactor, 50);
      return timer.poll(cx).ready ? Ready('done') : Pending;
    },
  };
  let otherWaker: unknown;
  const other: Future<string> = {
    poll(cx) {
      otherWaker = cx.waker;
      return Ready('other');
    },
  };
  const out = runTasks(
    [
      ['twice', twice],
      ['other', other],
    ],
    reactor,
  );
  expect(out.get('twice'), 'the task finishes').toEqual({ ok: true, value: 'done' });
  expect(polls, 'two wakes before the next poll should give one poll, not two (then one more when its timer fires)').toBe(3);
  expect(seen, "a task's waker and its clone wake the same task").toEqual([true, true, true]);
  expect(wakers[0]?.willWakeSame(otherWaker), 'two tasks have different wakers').toBe(false);
  expect(reactor.now, 'runTasks returns as soon as every task has an outcome, without running leftover timers').toBe(50);
});

test('no any, casts or ts directives', () => {
  const findings = banned(new URL('./error_context.ts', import.meta.url), ['any', 'as', 'ts-directives']);
  expect(findings, findings.join('\n')).toEqual([]);
});
