import { expect, test } from 'vitest';
import { banned, counted, pollWith, seeded, sleep, spyWaker, SEEDS, TestExecutor, VirtualReactor, type Counted, type Sleep } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { select as libSelect } from '../_lib/combinators';
import { select } from './select_drop';

/** The course library's implementations: importing them would hand in the answer. */
const LIB = ['../_lib/combinators', '../_lib/runtime'].map((m) => `import:${m}`); // bans resolve paths: './../_lib/runtime.js' and friends hit too

interface Child<T> {
  fut: Counted<T>;
  /** True once it returned Ready. */
  readonly done: boolean;
  /** For each drop() call: had the *other* child already returned Ready at that moment? */
  readonly dropsAfterOtherWon: boolean[];
}

/**
 * Like Rust's `async { sleep(ms).await; value }` (the timer starts on the first poll), wrapped in
 * `counted` and recording when it is dropped.
 */
function child<T>(reactor: VirtualReactor, ms: number, value: T, name: string, other: () => Child<unknown>): Child<T> {
  let timer: Sleep | undefined;
  let done = false;
  const drops: boolean[] = [];
  const leaf: Future<T> = {
    poll(cx: Context): Poll<T> {
      if (done) return Ready(value);
      timer ??= sleep(reactor, ms);
      if (!timer.poll(cx).ready) return Pending;
      done = true;
      return Ready(value);
    },
    drop() {
      drops.push(other().done);
      timer?.drop();
    },
  };
  return {
    fut: counted(leaf, { name, maxPolls: 20 }),
    get done() {
      return done;
    },
    dropsAfterOtherWon: drops,
  };
}

function pair(da: number, db: number, seed: number) {
  const rng = seeded(seed);
  const va = rng.int(0, 999);
  const vb = `b${rng.int(0, 999)}`;
  const reactor = new VirtualReactor();
  const a: Child<number> = child(reactor, da, va, 'a', () => b);
  const b: Child<string> = child(reactor, db, vb, 'b', () => a);
  return { reactor, a, b, va, vb };
}

function durations(seed: number): [number, number] {
  const rng = seeded(seed + 7);
  const fast = rng.int(10, 100);
  return [fast, fast + rng.int(1, 100)];
}

test('returns the first child to finish', () => {
  for (const seed of SEEDS) {
    const [fast, slow] = durations(seed);
    for (const leftWins of [true, false]) {
      const [da, db] = leftWins ? [fast, slow] : [slow, fast];
      const { reactor, a, b, va, vb } = pair(da, db, seed);
      const exec = new TestExecutor({ reactor });
      const handle = exec.spawn('select', select(a.fut, b.fut));
      exec.run({ maxPolls: 20 });
      expect(handle.done, `select should finish when its first child does (seed ${seed}). ${exec.explainStalled()}`).toBe(true);
      expect(
        handle.result,
        `a takes ${da} ms and b takes ${db} ms, so select should output ` +
          (leftWins ? `{ which: 'left', value: ${va} }` : `{ which: 'right', value: '${vb}' }`),
      ).toEqual(leftWins ? { which: 'left', value: va } : { which: 'right', value: vb });
      expect(handle.finishedAt, `it should finish at t=${fast}, when the faster child does`).toBe(fast);
    }
  }
});

test('drops the loser exactly once', () => {
  for (const seed of SEEDS) {
    const [fast, slow] = durations(seed);
    for (const leftWins of [true, false]) {
      const { reactor, a, b } = pair(leftWins ? fast : slow, leftWins ? slow : fast, seed);
      const [winner, loser] = leftWins ? [a, b] : [b, a];
      const exec = new TestExecutor({ reactor });
      const handle = exec.spawn('select', select(a.fut, b.fut));
      exec.run({ maxPolls: 20 });
      expect(handle.done, 'select should have finished').toBe(true);
      expect(
        loser.fut.drops,
        `the losing child (${leftWins ? 'b' : 'a'}) should be dropped exactly once, in the poll that finds the ` +
          'winner: select owns it, and nobody else can cancel it. Waiting for the select itself to be dropped ' +
          'is too late, since an executor need not drop a finished future',
      ).toBe(1);
      expect(reactor.pendingTimers, "dropping the loser cancels its timer: no timer should be left registered").toBe(0);
      const pollsAtEnd = loser.fut.polls;
      reactor.advance(1000);
      exec.runUntilStalled({ maxPolls: 20 });
      expect(loser.fut.polls, 'the loser must never be polled after the select finished').toBe(pollsAtEnd);
      expect(winner.fut.pollsAfterReady, 'the winner must not be polled after it returned Ready').toBe(0);
    }
  }
});

test('prefers left when both are ready', () => {
  for (const seed of SEEDS) {
    const d = durations(seed)[0];
    const { reactor, a, b, va } = pair(d, d, seed);
    const exec = new TestExecutor({ reactor });
    const handle = exec.spawn('select', select(a.fut, b.fut));
    exec.run({ maxPolls: 20 });
    expect(
      handle.result,
      `both children finish at t=${d}; a biased select polls a first, so a wins: { which: 'left', value: ${va} }`,
    ).toEqual({ which: 'left', value: va });
    expect(b.fut.polls, 'in the poll where a is Ready, b should not be polled at all (it was polled once, at the start)').toBe(1);
    expect(b.fut.drops, 'b lost, so it should be dropped once').toBe(1);
  }
  const spy = spyWaker('select');
  const a = counted(pollReady(1), { name: 'a' });
  const b = counted(pollReady(2), { name: 'b' });
  const p = pollWith(select(a, b), spy);
  expect(p, 'two children that are ready at once: left wins on the first poll').toEqual(Ready({ which: 'left', value: 1 }));
  expect(b.polls, 'b should not be polled once a is Ready').toBe(0);
  expect(b.drops, 'b lost, so it should be dropped once').toBe(1);
});

function pollReady<T>(value: T): Future<T> {
  return {
    poll() {
      return Ready(value);
    },
  };
}

test('does not drop the winner early', () => {
  for (const seed of SEEDS) {
    const [fast, slow] = durations(seed);
    for (const leftWins of [true, false]) {
      const { reactor, a, b } = pair(leftWins ? fast : slow, leftWins ? slow : fast, seed);
      const exec = new TestExecutor({ reactor });
      exec.spawn('select', select(a.fut, b.fut));
      try {
        exec.run({ maxPolls: 20 });
      } catch {
        // a child polled after it was dropped throws; the drop record below explains it
      }
      for (const [name, c] of [['a', a], ['b', b]] as const) {
        expect(
          c.dropsAfterOtherWon.every((otherWon) => otherWon),
          `${name} was dropped before the other child had won. Only the loser is dropped, and only once the ` +
            'winner has returned Ready: a child that is Pending now may still be the one that finishes first',
        ).toBe(true);
      }
    }
  }
});

test('dropping the select drops both children', () => {
  for (const seed of SEEDS) {
    const [fast, slow] = durations(seed);
    const { reactor, a, b } = pair(fast, slow, seed);
    const s = select(a.fut, b.fut);
    const spy = spyWaker('select');
    expect(pollWith(s, spy).ready, 'the first poll should be Pending').toBe(false);
    expect(s.drop, 'the future select returns needs a drop() method').toBeTypeOf('function');
    s.drop?.();
    expect([a.fut.drops, b.fut.drops], 'dropping an unfinished select should drop each child once').toEqual([1, 1]);
    expect(reactor.pendingTimers, 'and so cancel both timers').toBe(0);
    s.drop?.();
    expect([a.fut.drops, b.fut.drops], 'a second drop() of the select must not drop the children again').toEqual([1, 1]);
  }
  const { reactor, a, b } = pair(10, 20, 1);
  const exec = new TestExecutor({ reactor });
  const s = select(a.fut, b.fut);
  exec.spawn('select', s);
  exec.run({ maxPolls: 20 });
  s.drop?.();
  expect(b.fut.drops, 'dropping a select that already finished must not drop the loser a second time').toBe(1);
});

test('wakes the task that polled it last', () => {
  for (const seed of SEEDS) {
    const [fast, slow] = durations(seed);
    for (const leftWins of [true, false]) {
      const { reactor, a, b } = pair(leftWins ? fast : slow, leftWins ? slow : fast, seed);
      const s = select(a.fut, b.fut);
      const first = spyWaker('first task');
      const second = spyWaker('second task');
      expect(pollWith(s, first).ready, 'the first poll is Pending').toBe(false);
      expect(pollWith(s, second).ready, 'so is the second, by another task').toBe(false);
      reactor.advance(fast);
      expect(
        [first.wakes, second.wakes],
        `the select was polled by a second task (it moved): when the ${leftWins ? 'left' : 'right'} child is ready ` +
          `at t=${fast}, the second task must be woken. Poll the children with each poll's own cx (seed ${seed})`,
      ).toEqual([0, 1]);
      s.drop?.();
    }
  }
});

test('two selects run side by side', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const exec = new TestExecutor({ reactor });
    // Several selects alive at once, made before any of them is polled, finishing at different times.
    const n = rng.int(2, 5);
    const races = Array.from({ length: n }, (_, i) => {
      const fast = rng.int(5, 100);
      const slow = fast + rng.int(1, 50);
      const leftWins = rng.int(0, 1) === 0;
      const a: Child<number> = child(reactor, leftWins ? fast : slow, i * 2, `a${i}`, () => b);
      const b: Child<number> = child(reactor, leftWins ? slow : fast, i * 2 + 1, `b${i}`, () => a);
      return { a, b, fast, leftWins, fut: select(a.fut, b.fut) };
    });
    const handles = races.map((r, i) => exec.spawn(`select${i}`, r.fut));
    try {
      exec.run({ maxPolls: 200 });
    } catch (error) {
      throw new Error(
        `with ${n} selects alive at once, one of them failed: ${String(error)}. Each select must keep its own state ` +
          '(in the object or closure select() returns), never in module-level variables shared by every select',
        { cause: error },
      );
    }
    races.forEach((r, i) => {
      expect(handles[i]?.result, `select${i} of ${n} running side by side (seed ${seed})`).toEqual(
        r.leftWins ? { which: 'left', value: i * 2 } : { which: 'right', value: i * 2 + 1 },
      );
      expect(handles[i]?.finishedAt, `select${i} finishes at t=${r.fast}`).toBe(r.fast);
      expect((r.leftWins ? r.b : r.a).fut.drops, `select${i}'s loser is dropped once`).toBe(1);
    });
    expect(reactor.pendingTimers, 'no timer is left').toBe(0);
  }
});

test('is built from polls', () => {
  const f = banned(
    new URL('./select_drop.ts', import.meta.url),
    ['async', 'await', 'Promise', ...LIB],
    "select is built from poll calls here, by you: Promise.race belongs to the next exercise, and the course library's select is the answer, not a building block",
  );
  expect(f, f.join('\n')).toEqual([]);
  expect(select === libSelect, "select is the course library's select (../_lib/combinators): write your own").toBe(false);
});
