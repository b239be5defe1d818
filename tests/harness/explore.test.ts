import { describe, expect, test } from 'vitest';
import { AWAIT, describeOutcome, explore, until, type TaskFn } from '../../src/harness/index.js';

interface Counter {
  n: number;
}

/** Read, then write back plus one, with a step boundary (a place threads can be preempted) between. */
const increment: TaskFn<Counter> = function* increment(s) {
  const v = s.n;
  yield `read ${v}`;
  s.n = v + 1;
  yield `write ${v + 1}`;
};

/** The same, but the gap is an await: async tasks on one thread can interleave there too. */
const incrementAcrossAwait: TaskFn<Counter> = function* incrementAcrossAwait(s) {
  const v = s.n;
  yield AWAIT;
  s.n = v + 1;
};

/** An atomic read-modify-write (fetchAdd): no yield between read and write. */
const fetchAdd: TaskFn<Counter> = function* fetchAdd(s) {
  s.n += 1;
  yield 'fetchAdd';
};

const counter = () => ({ n: 0 });
const endsAt = (n: number) => (s: Counter) => s.n === n || `the counter ended at ${s.n}, not ${n}`;

describe('explore', () => {
  test.each([
    ['plain read/write', [increment, increment], 'cooperative', true],
    ['plain read/write', [increment, increment], 'preemptive', false],
    ['read/write across an await', [incrementAcrossAwait, incrementAcrossAwait], 'cooperative', false],
    ['fetchAdd', [fetchAdd, fetchAdd, fetchAdd], 'preemptive', true],
  ] as const)('%s under %s: invariant holds in every interleaving = %s', (_label, tasks, mode, holds) => {
    const r = explore([...tasks], { mode, setup: counter, check: endsAt(tasks.length) });
    expect(r.exhaustive).toBe(true);
    expect(r.failure === undefined).toBe(holds);
  });

  test('the lost update is reported with the schedule that causes it', () => {
    const r = explore([increment, increment], { mode: 'preemptive', setup: counter, check: endsAt(2) });
    expect(r.failure?.message).toBe('the counter ended at 1, not 2');
    expect(r.failure?.trace.slice(0, 2)).toEqual(['increment#1: read 0', 'increment#2: read 0']);
    expect(describeOutcome(r.failure!)).toMatch(/^this schedule fails: the counter ended at 1, not 2\n  1\. increment#1: read 0/);
  });

  test('counts interleavings: cooperative runs each task whole, preemptive tries every order of steps', () => {
    expect(explore([increment, increment], { mode: 'cooperative', setup: counter }).schedules).toBe(2);
    // 3 steps each (read, write, return): C(6,3) = 20 interleavings.
    expect(explore([increment, increment], { mode: 'preemptive', setup: counter }).schedules).toBe(20);
  });

  test('records each task\'s return value and names tasks of a record', () => {
    const r = explore(
      {
        a: function* (s: Counter) {
          yield AWAIT;
          return s.n++;
        },
        b: function* (s: Counter) {
          yield AWAIT;
          return s.n++;
        },
      },
      { mode: 'cooperative', setup: counter },
    );
    const results = new Set(r.outcomes.map((o) => o.results.join(',')));
    expect(results).toEqual(new Set(['0,1', '1,0']));
    expect(r.outcomes.every((o) => o.schedule.every((n) => n === 'a' || n === 'b'))).toBe(true);
  });

  test('until() blocks a task; a lock keeps the update safe, and a cycle is reported as a deadlock', () => {
    interface Locked {
      n: number;
      held: string | undefined;
      other: string | undefined;
    }
    const locked: TaskFn<Locked> = function* locked(s) {
      yield until(() => s.held === undefined, 'lock');
      s.held = 'me';
      const v = s.n;
      yield `read ${v}`;
      s.n = v + 1;
      s.held = undefined;
      yield 'unlock';
    };
    const safe = explore([locked, locked], { mode: 'preemptive', setup: () => ({ n: 0, held: undefined, other: undefined }), check: (s) => s.n === 2 });
    expect(safe.failure).toBeUndefined();

    const ab: TaskFn<Locked> = function* ab(s) {
      yield until(() => s.held === undefined, 'lock A');
      s.held = 'ab';
      yield until(() => s.other === undefined, 'lock B');
      s.other = 'ab';
      s.held = s.other = undefined;
    };
    const ba: TaskFn<Locked> = function* ba(s) {
      yield until(() => s.other === undefined, 'lock B');
      s.other = 'ba';
      yield until(() => s.held === undefined, 'lock A');
      s.held = 'ba';
      s.held = s.other = undefined;
    };
    const dl = explore([ab, ba], { mode: 'preemptive', setup: () => ({ n: 0, held: undefined, other: undefined }) });
    expect(dl.failure?.message).toMatch(/^deadlock: ab waits at "lock B", ba waits at "lock A"/);
  });

  test('maxSchedules bounds the search; a thrown error or an endless loop fails the schedule', () => {
    const r = explore([increment, increment, increment], { mode: 'preemptive', setup: counter, maxSchedules: 5 });
    expect([r.schedules, r.exhaustive]).toEqual([5, false]);
    const thrower: TaskFn<Counter> = function* thrower() {
      yield;
      throw new Error('bad step');
    };
    expect(explore([thrower], { mode: 'preemptive', setup: counter }).failure?.message).toBe('thrower threw: bad step');
    const spinner: TaskFn<Counter> = function* spinner() {
      for (;;) yield;
    };
    expect(explore([spinner], { mode: 'cooperative', setup: counter, maxSteps: 50 }).failure?.message).toMatch(/more than 50 steps/);
  });
});
