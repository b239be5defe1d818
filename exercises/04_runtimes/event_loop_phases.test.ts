// These checks use Node's real event loop, so they assert only orderings Node guarantees:
//   - every microtask (promise jobs, queueMicrotask, process.nextTick) runs before the next macrotask;
//   - setImmediate callbacks run in the order they were queued, with the microtasks each one
//     queues drained before the next one runs.
// They never compare process.nextTick with promise jobs (the order differs between CommonJS and ES
// modules) or setTimeout(0) with setImmediate (it depends on when the loop was entered).
import { beforeAll, expect, test, vi } from 'vitest';
import { SEEDS, seeded } from 'async-lessons/harness';
import { kindOf, processBatch, yieldToEventLoop, type Api, type Kind } from './event_loop_phases';

beforeAll(() => {
  vi.useRealTimers(); // these checks need the real setImmediate
});

/** Waits until the immediates queued so far (and the microtasks they queue) have run. */
function drainImmediates(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sizes(seed: number): { n: number; budget: number } {
  const rng = seeded(seed);
  const budget = rng.int(3, 15);
  return { n: budget * rng.int(3, 9) + rng.int(1, budget - 1), budget };
}

test('a setImmediate queued first sees exactly one chunk', async () => {
  for (const seed of SEEDS) {
    const { n, budget } = sizes(seed);
    let progress = 0;
    let seen: number | undefined;
    setImmediate(() => {
      seen = progress;
    });
    await processBatch(Array.from({ length: n }, (_, i) => i), budget, () => {
      progress += 1;
    });
    await drainImmediates();
    expect(progress, `all ${n} items should be processed`).toBe(n);
    expect(
      seen,
      `a setImmediate callback queued before processBatch(${n} items, budget ${budget}) should run at the ` +
        `first yield, after exactly ${budget} items. ${seen === n ? 'It saw every item: the yields never let the event loop run (a resolved promise only queues a microtask). ' : ''}` +
        `${seen === 1 ? 'It saw 1 item: the batch yields after every item instead of every budget items. ' : ''}(seed ${seed})`,
    ).toBe(budget);
  }
});

test('yields once per budget items', async () => {
  for (const seed of SEEDS) {
    const { n, budget } = sizes(seed);
    const order: number[] = [];
    let progress = 0;
    const yieldNow = vi.fn(() => {
      order.push(progress);
      return Promise.resolve();
    });
    await processBatch(
      Array.from({ length: n }, (_, i) => i * 3),
      budget,
      (item, index) => {
        expect(item, `items should be processed in order: item ${index} is ${index * 3}`).toBe(index * 3);
        progress += 1;
      },
      yieldNow,
    );
    const expected = Array.from({ length: Math.floor(n / budget) }, (_, k) => (k + 1) * budget);
    expect(progress, `all ${n} items should be processed`).toBe(n);
    expect(
      yieldNow.mock.calls.length,
      `${n} items with a budget of ${budget}: yieldNow should be called ${expected.length} times, once after ` +
        `every ${budget} items (seed ${seed})`,
    ).toBe(expected.length);
    expect(order, `yieldNow should be called after items ${expected.join(', ')} (seed ${seed})`).toEqual(expected);
  }
});

test('any number of items, any budget', async () => {
  const FALSY: unknown[] = [0, '', false, null, undefined, Number.NaN];
  const shapes: Array<[number, number]> = [[0, 5], [3, 5], [5, 5], [12, 4], [7, 1], [10, 2]];
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const budget = rng.int(2, 12);
    shapes.push([budget * rng.int(1, 6), budget]); // an exact multiple of the budget
  }
  for (const [n, budget] of shapes) {
    const items = Array.from({ length: n }, (_, i) => FALSY[i % FALSY.length]);
    const seen: unknown[] = [];
    const order: number[] = [];
    const yieldNow = vi.fn(() => {
      order.push(seen.length);
      return Promise.resolve();
    });
    await processBatch(items, budget, (item) => void seen.push(item), yieldNow);
    const expected = Array.from({ length: Math.floor(n / budget) }, (_, k) => (k + 1) * budget);
    expect(seen, `${n} items (falsy ones included): each is processed once, in order`).toEqual(items);
    expect(
      order,
      `${n} items with a budget of ${budget}: yieldNow runs after items ${expected.join(', ') || '(none)'}, i.e. after ` +
        'every full chunk, the last one too: the caller of processBatch should not run on straight after the final ' +
        'chunk while timers and I/O still wait',
    ).toEqual(expected);
  }
});

test('the first chunk runs before queued callbacks, the second after', async () => {
  for (const seed of SEEDS) {
    const { n, budget } = sizes(seed);
    let thenRan = false;
    const seenAt = new Map<number, boolean>();
    void Promise.resolve().then(() => {
      thenRan = true;
    });
    await processBatch(Array.from({ length: n }, (_, i) => i), budget, (_, index) => {
      seenAt.set(index, thenRan);
    });
    expect(
      seenAt.get(budget - 1),
      `processBatch should start working at once: the first ${budget} items run before a .then queued ` +
        `just before the call (do not yield before the first item) (seed ${seed})`,
    ).toBe(false);
    expect(
      seenAt.get(budget),
      `after the first yield every microtask queued earlier has run, so item ${budget} should see the .then as ` +
        `done (seed ${seed})`,
    ).toBe(true);
  }
});

test('yieldToEventLoop resumes after the immediates already queued', async () => {
  const log: string[] = [];
  setImmediate(() => log.push('queued before'));
  const resumed = yieldToEventLoop().then(() => log.push('resumed'));
  setImmediate(() => log.push('queued after'));
  await resumed;
  await drainImmediates();
  expect(
    log,
    'yieldToEventLoop() should resolve on the next check phase, like a setImmediate queued at that moment: ' +
      'after the immediate queued before it and before the one queued after it. A resolved promise resumes ' +
      'before both (it is a microtask); setTimeout(0) belongs to another phase and is not ordered with them.',
  ).toEqual(['queued before', 'resumed', 'queued after']);
});

test('kindOf sorts the six APIs', () => {
  const expected: Record<Api, Kind> = {
    'Promise.then': 'microtask',
    queueMicrotask: 'microtask',
    'process.nextTick': 'microtask',
    setTimeout: 'macrotask',
    setImmediate: 'macrotask',
    'fs.readFile callback': 'macrotask',
  };
  const apis = Object.keys(expected) as Api[];
  const got = Object.fromEntries(apis.map((api) => [api, kindOf(api)]));
  const wrong = apis.filter((api) => got[api] !== expected[api]).map((api) => `${api} is a ${expected[api]}, not a ${String(got[api])}`);
  expect(
    wrong,
    'microtasks run as soon as the current JavaScript finishes, before the event loop moves on (process.nextTick ' +
      'has its own queue but runs in the same place); macrotasks wait for a phase of the loop',
  ).toEqual([]);
});

test('kindOf agrees with the real event loop', async () => {
  const log: string[] = [];
  setImmediate(() => log.push('macrotask marker'));
  const runners: Partial<Record<Api, (cb: () => void) => void>> = {
    'Promise.then': (cb) => void Promise.resolve().then(cb),
    queueMicrotask: (cb) => queueMicrotask(cb),
    'process.nextTick': (cb) => process.nextTick(cb),
    setImmediate: (cb) => setImmediate(cb),
  };
  for (const [api, run] of Object.entries(runners)) run?.(() => log.push(api));
  await drainImmediates();
  const beforeMarker = new Set(log.slice(0, log.indexOf('macrotask marker')));
  for (const api of Object.keys(runners) as Api[]) {
    const ranFirst = beforeMarker.has(api);
    expect(
      kindOf(api),
      `${api}'s callback ${ranFirst ? 'ran before' : 'ran after'} a setImmediate queued before it, so it is a ${ranFirst ? 'microtask' : 'macrotask'}`,
    ).toBe(ranFirst ? 'microtask' : 'macrotask');
  }
});
