import { expect, test } from 'vitest';
import {
  banned,
  counted,
  pollWith,
  sameWaker,
  seeded,
  spyWaker,
  SEEDS,
  TestExecutor,
  type Counted,
  type Waker,
} from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { fetchSum, keyFor, type Db } from './desugar_sequence';

/**
 * A fake database. Each `get` returns a poll-only future that is Pending until the test calls
 * `resolve(key, value)`, which wakes the waker the future stored. In `immediate` mode every value
 * is known up front, so each `get` future is Ready on its first poll.
 */
function fakeDb(immediate?: Map<string, number>) {
  const calls: string[] = [];
  const children: Counted<number>[] = [];
  const values = new Map<string, number>(immediate ?? []);
  const waiting = new Map<string, Waker>();
  const db: Db = {
    get(key: string): Future<number> {
      calls.push(key);
      let done = false;
      let dropped = false;
      const leaf: Future<number> = {
        poll(cx: Context): Poll<number> {
          if (done) throw new Error(`db.get("${key}") was polled again after it returned Ready`);
          if (dropped) throw new Error(`db.get("${key}") was polled after it was dropped`);
          const v = values.get(key);
          if (v !== undefined) {
            done = true;
            waiting.delete(key);
            return Ready(v);
          }
          waiting.set(key, cx.waker.clone());
          return Pending;
        },
        drop() {
          dropped = true;
          waiting.delete(key);
        },
      };
      const c = counted(leaf, { name: `db.get("${key}")`, maxPolls: 50 });
      children.push(c);
      return c;
    },
  };
  return {
    db,
    calls,
    children,
    /** Makes `key` answer `value` and wakes whoever polled it. */
    resolve(key: string, value: number) {
      values.set(key, value);
      const w = waiting.get(key);
      waiting.delete(key);
      w?.wake();
    },
    /** Wakes whoever polled `key` without answering (a spurious wake-up). */
    nudge(key: string) {
      waiting.get(key)?.wake();
    },
    /** True when the db keeps a waker for `key` that wakes the same task as `waker`. */
    isWaiting(key: string, waker: Waker) {
      const w = waiting.get(key);
      return w !== undefined && sameWaker(w, waker);
    },
    holds(waker: Waker) {
      return [...waiting.values()].some((w) => sameWaker(w, waker));
    },
  };
}

function draw(seed: number) {
  const rng = seeded(seed);
  return { a: rng.int(1, 999), b: rng.int(1, 999) };
}

test('does nothing until polled', () => {
  for (const seed of SEEDS) {
    const { a, b } = draw(seed);
    const fake = fakeDb(new Map([['a', a], [keyFor(a), b]]));
    const fut = fetchSum(fake.db);
    expect(
      fake.calls,
      'creating the future must not call db.get: an async fn runs nothing until it is first polled ' +
        '(start in the Start state and create the first lookup inside poll)',
    ).toEqual([]);
    expect(fut.state.tag, 'a fresh FetchSum should be in its Start state').toBe('Start');
  }
});

test('polls only the first lookup at first', () => {
  for (const seed of SEEDS) {
    const fake = fakeDb();
    const spy = spyWaker('fetch_sum');
    const fut = fetchSum(fake.db);
    const p = pollWith(fut, spy);
    expect(p.ready, `the first poll should return Pending while db.get("a") is not answered (seed ${seed})`).toBe(false);
    expect(
      fake.calls,
      'after the first poll, db.get should have been called once, with "a": the second key depends on a, ' +
        'so the second lookup cannot exist yet',
    ).toEqual(['a']);
    expect(fut.state.tag, 'after the first poll the machine should wait in AwaitA').toBe('AwaitA');
    expect(
      fake.isWaiting('a', spy.waker),
      'the first poll should poll the db.get("a") future, so that it stores this task\'s waker; ' +
        'otherwise nobody will wake the task when "a" arrives',
    ).toBe(true);
  }
});

test('starts the second lookup in the same poll', () => {
  for (const seed of SEEDS) {
    const { a, b } = draw(seed);
    const fake = fakeDb();
    const spy = spyWaker('fetch_sum');
    const fut = fetchSum(fake.db);
    pollWith(fut, spy);
    fake.resolve('a', a);
    expect(spy.wakes, 'answering "a" should wake the task once (through the waker db.get stored)').toBe(1);
    const p2 = pollWith(fut, spy);
    expect(p2.ready, `poll 2 should return Pending while the second lookup is unanswered (seed ${seed})`).toBe(false);
    expect(
      fake.calls,
      `the poll that sees a = ${a} should call db.get(keyFor(a)) = db.get("${keyFor(a)}") right away, ` +
        'in that same poll, not wait for another wake-up',
    ).toEqual(['a', keyFor(a)]);
    const st = fut.state;
    expect(st.tag === 'AwaitB' && st.a === a, `after poll 2 the state should be AwaitB holding a = ${a} (seed ${seed})`).toBe(true);
    expect(
      fake.isWaiting(keyFor(a), spy.waker),
      'the new lookup must also be polled in that poll: polling it is what hands it the waker. ' +
        'Returning Pending without polling it leaves nobody to wake the task',
    ).toBe(true);
    fake.resolve(keyFor(a), b);
    const p3 = pollWith(fut, spy);
    expect(p3, `after both answers, the next poll should be Ready(a + b) = Ready(${a + b}) (seed ${seed})`).toEqual(Ready(a + b));
    expect(fut.state.tag, 'after returning Ready the machine should be in Done').toBe('Done');
    expect(spy.wokeDuringPoll, 'the machine should never wake itself during a poll').toBe(0);
  }
});

test('finishes in one poll when the db answers at once', () => {
  for (const seed of SEEDS) {
    const { a, b } = draw(seed);
    const fake = fakeDb(new Map([['a', a], [keyFor(a), b]]));
    const spy = spyWaker('fetch_sum');
    const p = pollWith(fetchSum(fake.db), spy);
    expect(
      p,
      `both lookups are ready the moment they are polled, so the very first poll should return Ready(${a + b}). ` +
        'After each state change, keep going in the same poll instead of returning Pending (seed ' +
        `${seed})`,
    ).toEqual(Ready(a + b));
    expect(spy.wokeDuringPoll, 'no self-wakes: never call cx.waker.wake() to get polled again').toBe(0);
    expect(fake.calls, 'each lookup should be made exactly once').toEqual(['a', keyFor(a)]);
  }
});

test('polls each lookup once per wake', () => {
  for (const seed of SEEDS) {
    const { a, b } = draw(seed);
    const fake = fakeDb();
    const exec = new TestExecutor({ holders: [fake] });
    const handle = exec.spawn('fetch_sum', fetchSum(fake.db));
    const step = (what: string) => {
      exec.runUntilStalled({ maxPolls: 50 });
      expect(exec.stalled(), `after ${what}: ${exec.explainStalled()}`).toEqual([]);
    };
    step('the first poll');
    fake.nudge('a'); // a spurious wake: the machine must simply poll the same child again
    step('a spurious wake-up while waiting for "a"');
    fake.resolve('a', a);
    step('"a" was answered');
    fake.resolve(keyFor(a), b);
    exec.runUntilStalled({ maxPolls: 50 });
    expect(handle.done, `the task should finish once both lookups are answered (seed ${seed})`).toBe(true);
    expect(handle.result, `fetch_sum should return a + b = ${a + b}`).toBe(a + b);
    expect(
      fake.calls,
      'db.get should be called exactly twice in all: keep the child future in the state and poll that same ' +
        'future again, rather than calling db.get on every poll',
    ).toEqual(['a', keyFor(a)]);
    for (const c of fake.children) {
      expect(c.pollsAfterReady, 'a child that returned Ready must never be polled again').toBe(0);
      expect(
        c.polls,
        `each child should be polled once, then once per wake (it had ${c.wakes} wakes); ` +
          'it was polled without being woken',
      ).toBe(c.wakes + 1);
      expect(c.unwokenPolls, 'a child should be polled again only after it woke the task').toBe(0);
    }
    expect(handle.polls, 'the task itself should be polled once plus once per wake').toBe(handle.wakes + 1);
  }
});

test('throws when polled after Done', () => {
  const { a, b } = draw(SEEDS[0] ?? 1);
  const fake = fakeDb(new Map([['a', a], [keyFor(a), b]]));
  const spy = spyWaker('fetch_sum');
  const fut = fetchSum(fake.db);
  expect(pollWith(fut, spy), 'the first poll should be Ready(a + b)').toEqual(Ready(a + b));
  expect(
    () => pollWith(fut, spy),
    'polling a finished async fn is a bug in the caller; the Done state should throw ' +
      '(Rust panics with "`async fn` resumed after completion")',
  ).toThrow();
  expect(fake.calls, 'the extra poll must not start new lookups').toEqual(['a', keyFor(a)]);
});

test('builds the state machine by hand', () => {
  const f = banned(
    new URL('./desugar_sequence.ts', import.meta.url),
    ['async', 'await', 'Promise'],
    'this exercise writes by hand the state machine that async/await would generate',
  );
  expect(f, f.join('\n')).toEqual([]);
});

test('polls the child with the latest waker', () => {
  for (const seed of SEEDS) {
    const { a, b } = draw(seed);
    const fake = fakeDb();
    const fut = fetchSum(fake.db);
    const first = spyWaker('first task');
    const second = spyWaker('second task');
    pollWith(fut, first);
    // The machine moves to another task (a join or select polls it from there now).
    pollWith(fut, second);
    expect(
      fake.isWaiting('a', second.waker),
      'the machine was last polled by another task, so its child should now hold that task\'s waker: pass each ' +
        `poll's own cx to the child, never a Context kept from an earlier poll (seed ${seed})`,
    ).toBe(true);
    fake.resolve('a', a);
    expect([first.wakes, second.wakes], 'answering "a" should wake the task that polled last, and only that one').toEqual([0, 1]);
    pollWith(fut, second);
    const third = spyWaker('third task');
    pollWith(fut, third);
    fake.resolve(keyFor(a), b);
    expect(third.wakes, 'the second lookup should wake the task that polled last as well').toBe(1);
    expect(pollWith(fut, third), `then the machine should be Ready(${a + b})`).toEqual(Ready(a + b));
  }
});

test('drop cancels the lookup it waits on', () => {
  for (const seed of SEEDS) {
    const { a } = draw(seed);
    const unpolled = fakeDb();
    const never = fetchSum(unpolled.db);
    expect(never.drop, 'FetchSum needs a drop() method: cancelling an async fn drops the state it is paused in').toBeTypeOf('function');
    never.drop();
    expect(unpolled.calls, 'dropping a machine that was never polled should start nothing').toEqual([]);

    for (const where of ['AwaitA', 'AwaitB'] as const) {
      const fake = fakeDb();
      const spy = spyWaker('fetch_sum');
      const fut = fetchSum(fake.db);
      pollWith(fut, spy);
      if (where === 'AwaitB') {
        fake.resolve('a', a);
        pollWith(fut, spy);
      }
      const key = where === 'AwaitA' ? 'a' : keyFor(a);
      const child = fake.children[fake.children.length - 1];
      expect(fut.state.tag, `check setup: the machine should be waiting in ${where}`).toBe(where);
      fut.drop();
      expect(
        child?.drops,
        `dropping the machine while it waits in ${where} should drop the child it waits on, db.get("${key}"), once: ` +
          'the paused state owns that future, and cancelling the machine must cancel it (in Rust, dropping the enum ' +
          `drops the GetFut inside it) (seed ${seed})`,
      ).toBe(1);
      expect(fake.holds(spy.waker), 'after drop() the database should no longer hold a waker for this task').toBe(false);
      expect(fut.state.tag, 'after drop() the machine should be in Done').toBe('Done');
      fut.drop();
      expect(child?.drops, 'a second drop() should do nothing: the child was dropped already').toBe(1);
      expect(() => pollWith(fut, spy), 'polling a dropped machine should throw, as polling after Done does').toThrow();
      expect(fake.children.map((c) => c.drops), 'drop() should drop only the current child (an earlier one already finished)').toEqual(
        fake.children.map((c) => (c === child ? 1 : 0)),
      );
    }
  }
});
