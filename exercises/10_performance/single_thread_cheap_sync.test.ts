import { once } from 'node:events';
import { expect, test } from 'vitest';
import { SEEDS, banned, describeOutcome, explore, seeded, tsWorker, until, type Exploration, type TaskFn } from 'async-lessons/harness';
import { addMany, localIncrement, sharedIncrement, type Cell, type Step } from './single_thread_cheap_sync';

/** The shared memory the tasks get: every operation is one step, and every one is counted. */
class CountingCell implements Cell {
  #value = 0;
  #locked = false;
  readonly ops = { load: 0, store: 0, fetchAdd: 0, lock: 0, unlock: 0 };

  get value(): number {
    return this.#value;
  }

  get syncOps(): number {
    return this.ops.fetchAdd + this.ops.lock + this.ops.unlock;
  }

  // The read happens when the task resumes after the step boundary: a thread may be preempted there.
  *load(): Generator<Step, number, void> {
    yield 'load';
    this.ops.load += 1;
    return this.#value;
  }

  *store(value: number): Generator<Step, void, void> {
    yield 'store';
    this.ops.store += 1;
    this.#value = value;
  }

  // Read, add and write in one step: nothing can come in between.
  *fetchAdd(n: number): Generator<Step, number, void> {
    yield 'fetchAdd';
    this.ops.fetchAdd += 1;
    const old = this.#value;
    this.#value = old + n;
    return old;
  }

  *lock(): Generator<Step, void, void> {
    yield until(() => !this.#locked, 'lock');
    if (this.#locked) throw new Error('lock(): taken while held');
    this.ops.lock += 1;
    this.#locked = true;
  }

  *unlock(): Generator<Step, void, void> {
    yield 'unlock';
    if (!this.#locked) throw new Error('unlock(): the lock is not held');
    this.ops.unlock += 1;
    this.#locked = false;
  }
}

type Job = (cell: Cell, times: number) => Generator<Step, void, void>;

function exploreJob(job: Job, mode: 'cooperative' | 'preemptive', tasks: number, times: number): Exploration<CountingCell> {
  const fns: Record<string, TaskFn<CountingCell>> = {};
  for (let i = 0; i < tasks; i++) fns[`task${i + 1}`] = (cell) => job(cell, times);
  return explore(fns, {
    mode,
    setup: () => new CountingCell(),
    check: (cell) => cell.value === tasks * times || `the counter ended at ${cell.value}, not ${tasks * times}`,
    maxSchedules: 50_000,
  });
}

const shapes = () => SEEDS.map((seed) => {
  const rng = seeded(seed);
  return { seed, tasks: rng.int(2, 3), times: rng.int(2, 3) };
});

test('on one thread, plain load and store are enough, in every interleaving', () => {
  for (const { seed, tasks, times } of shapes()) {
    const result = exploreJob(localIncrement, 'cooperative', tasks, times);
    expect(result.exhaustive, 'the explorer should be able to try every interleaving').toBe(true);
    expect(
      result.failure,
      `${tasks} tasks × ${times} increments on one thread (seed ${seed}): this interleaving goes wrong. Is there an ` +
        `await between the load and the store?\n${result.failure ? describeOutcome(result.failure) : ''}`,
    ).toBeUndefined();
    expect(
      result.schedules,
      `with one AWAIT after each increment, the tasks can interleave in many ways; your tasks ran in only ${result.schedules} ` +
        `order(s): yield AWAIT once per increment (seed ${seed})`,
    ).toBeGreaterThan(1);
    for (const o of result.outcomes) {
      const cell = o.state;
      expect(
        cell.syncOps,
        `on one thread nothing runs between two awaits, so no fetchAdd, lock or unlock is needed; this run used ` +
          `${cell.syncOps} (seed ${seed})`,
      ).toBe(0);
      expect(
        { loads: cell.ops.load, stores: cell.ops.store },
        `each increment should be one load and one store (seed ${seed})`,
      ).toEqual({ loads: tasks * times, stores: tasks * times });
      const awaits = o.trace.filter((t) => t.endsWith(': await')).length;
      expect(awaits, `each task should await once after each increment (seed ${seed})`).toBe(tasks * times);
    }
  }
});

test('the same plain code on threads loses updates', () => {
  const result = exploreJob(localIncrement, 'preemptive', 2, 2);
  expect(
    result.failure,
    'run on threads (a switch possible before every operation), plain load/store must lose an update in some ' +
      'interleaving; if it does not, localIncrement is not the plain version',
  ).toBeDefined();
});

test('on threads, every increment is one synchronised step', () => {
  for (const { seed, tasks, times } of shapes().map((s) => ({ ...s, tasks: 2, times: Math.min(s.times, 3) }))) {
    const result = exploreJob(sharedIncrement, 'preemptive', tasks, times);
    expect(result.exhaustive, 'the explorer should be able to try every interleaving').toBe(true);
    expect(
      result.failure,
      `${tasks} threads × ${times} increments (seed ${seed}): an update is lost when another thread runs between a load ` +
        `and its store. Use fetchAdd(1), or take the lock around them:\n${result.failure ? describeOutcome(result.failure) : ''}`,
    ).toBeUndefined();
    for (const o of result.outcomes) {
      const { fetchAdd, lock, unlock } = o.state.ops;
      expect(
        fetchAdd === tasks * times || (lock === tasks * times && unlock === tasks * times),
        `each of the ${tasks * times} increments should be its own fetchAdd(1), or its own lock()/unlock() pair; ` +
          `the run made ${fetchAdd} fetchAdd, ${lock} lock and ${unlock} unlock calls (seed ${seed})`,
      ).toBe(true);
    }
  }
});

test('four worker threads add 100,000 each: exactly 400,000', async () => {
  const workers = 4;
  const n = 100_000;
  const buffer = new SharedArrayBuffer(8);
  const threads = Array.from({ length: workers }, () =>
    tsWorker(new URL('./single_thread_cheap_sync.worker.ts', import.meta.url), { buffer, n, workers }),
  );
  try {
    await Promise.all(threads.map((w) => once(w, 'message')));
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  const counter = new Int32Array(buffer);
  expect(
    Atomics.load(counter, 0),
    `${workers} threads each added 1, ${n} times, at the same time; a plain counter[i] += 1 loses updates when two ` +
      'threads read the same old value. Use Atomics.add',
  ).toBe(workers * n);
});

test('addMany adds exactly n, each time atomically', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const counter = new Int32Array(new SharedArrayBuffer(16));
    const index = rng.int(0, 3);
    const start = rng.int(0, 50);
    counter[index] = start;
    const n = rng.int(1, 500);
    // Watch the atomic operations for the length of one call (the worker check may pass by luck when
    // the threads happen not to overlap, so this is the deterministic one).
    // One signature each (Atomics' own are overloaded for bigint arrays, which a wrapper cannot forward).
    const atomics = Atomics as unknown as { add: (a: Int32Array, i: number, v: number) => number; compareExchange: (a: Int32Array, i: number, e: number, r: number) => number };
    const { add, compareExchange } = atomics;
    let atomicallyAdded = 0;
    atomics.add = (a, i, v) => ((atomicallyAdded += Number(v)), add(a, i, v));
    atomics.compareExchange = (a, i, e, r) => {
      const old = compareExchange(a, i, e, r);
      if (old === e) atomicallyAdded += Number(r) - Number(e);
      return old;
    };
    try {
      addMany(counter, index, n);
    } finally {
      atomics.add = add;
      atomics.compareExchange = compareExchange;
    }
    expect(
      atomicallyAdded,
      `addMany should add through Atomics.add (or a compareExchange loop): of the ${n} it had to add, ${atomicallyAdded} ` +
        `went through an atomic operation (seed ${seed})`,
    ).toBe(n);
    expect(Array.from(counter), `addMany(counter, ${index}, ${n}) on a counter holding ${start} (seed ${seed})`).toEqual(
      [0, 1, 2, 3].map((i) => (i === index ? start + n : 0)),
    );
  }
});

test('leaves the interleavings to the cell', () => {
  const found = banned(
    new URL('./single_thread_cheap_sync.ts', import.meta.url),
    ['private', 'import:async-lessons', 'import:node:worker_threads', 'Promise', 'async', 'await'],
    'the tasks work only through the cell they are given (and addMany through Atomics)',
  );
  expect(found, found.join('\n')).toEqual([]);
});
