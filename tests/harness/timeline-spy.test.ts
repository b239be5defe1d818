import { beforeEach, expect, test } from 'vitest';
import { AWAIT, counted, explore, pollNextWith, pollWith, spyWaker, TestExecutor, VirtualReactor, type Future, type Stream } from '../../src/harness/index.js';
import { REGISTRY_CAP, TRACES, type Trace, type TraceList } from '../../src/harness/timeline.js';

// What checks that drive a learner's future by hand (spyWaker, pollWith, explore) leave for the timeline.
const registry = () => (globalThis as { [TRACES]?: TraceList })[TRACES]!;
const used = () => registry().filter((t) => t.events.length > 0);
const row = (t: Trace, task: string) =>
  t.events.filter((e) => e.task === task).map((e) => `${e.t}:${e.kind}${e.clone === undefined ? '' : `#${e.clone}`}${e.by ? `<${e.by}` : ''}`);
beforeEach(() => {
  (globalThis as { [TRACES]?: TraceList })[TRACES] = [];
});

/** A timer future as a learner writes it: registers a clone of cx.waker, Ready at the deadline. */
const timer = (reactor: VirtualReactor, ms: number): Future<void> => {
  const due = reactor.now + ms;
  let id: number | undefined;
  return { poll: (cx) => (reactor.now >= due ? { ready: true, value: undefined } : ((id = reactor.registerTimer(due, cx.waker.clone(), id)), { ready: false })) };
};

test('pollWith records each poll with its result and the future, the clone registered, and the reactor waking that clone later, on virtual time', () => {
  const reactor = new VirtualReactor();
  const fut = timer(reactor, 30);
  const spy = spyWaker('task');
  pollWith(fut, spy);
  reactor.advance(30);
  pollWith(fut, spy);
  const [t] = used();
  expect(row(t!, 'task')).toEqual(['0:spawn', '0:clone#1', '0:timer', '0:pending', '30:wake#1', '30:ready']);
  const polls = t!.events.filter((e) => e.kind === 'pending' || e.kind === 'ready');
  expect(new Set(polls.map((e) => e.fut)).size).toBe(1);
  expect(polls[0]!.fut).toBeGreaterThan(0);
});

test('a wake during the poll is a self-wake (by the original waker); a poll that throws is recorded as such', () => {
  const spy = spyWaker('busy');
  const selfWaking: Future<void> = { poll: (cx) => (cx.waker.wake(), { ready: false }) };
  pollWith(selfWaking, spy);
  expect(() => pollWith({ poll: () => { throw new Error('boom'); } }, spy)).toThrow('boom');
  expect(row(used()[0]!, 'busy')).toEqual(['0:spawn', '0:self-wake#0', '0:pending', '0:threw']);
  // The counts checks assert on are what they were.
  expect([spy.polls, spy.wakes, spy.wokeDuringPoll, spy.inPoll]).toEqual([2, 1, 1, false]);
});

test('pollNextWith records a stream the same way, and two spies polling one stream show the same future', () => {
  let n = 0;
  const stream: Stream<number> = { pollNext: () => (++n > 1 ? { ready: true, value: n } : { ready: false }) };
  const [a, b] = [spyWaker('task A'), spyWaker('task B')];
  pollNextWith(stream, a);
  pollNextWith(stream, b);
  const [ta, tb] = used();
  expect(row(ta!, 'task A')).toEqual(['0:spawn', '0:pending']);
  expect(row(tb!, 'task B')).toEqual(['0:spawn', '0:ready']);
  expect(ta!.events.at(-1)!.fut).toBe(tb!.events.at(-1)!.fut);
});

test('a waker kept from an old poll: the wake names task A\'s clone, and task B has none', () => {
  const reactor = new VirtualReactor();
  let stored: { waker: import('../../src/harness/index.js').Waker } | undefined;
  // The classic bug: keeps the first waker it was given and never replaces it.
  const stale: Future<void> = {
    poll: (cx) => {
      if (stored === undefined) {
        stored = { waker: cx.waker.clone() };
        reactor.registerTimer(50, { wake: () => stored!.waker.wake(), clone() { return this; }, willWakeSame: () => false });
      }
      return { ready: false };
    },
  };
  const [a, b] = [spyWaker('task A'), spyWaker('task B')];
  pollWith(stale, a);
  pollWith(stale, b);
  reactor.advance(50);
  const all = used().flatMap((t) => t.events);
  expect(all.filter((e) => e.kind === 'wake').map((e) => `${e.task}#${e.clone}@${e.t}`)).toEqual(['task A#1@50']);
});

test('a counted future polled by an executor task of the same name joins its row instead of doubling it', () => {
  const reactor = new VirtualReactor();
  const ex = new TestExecutor({ reactor });
  ex.spawn('timer', counted(timer(reactor, 10), { name: 'timer' }));
  ex.run();
  const rows = used();
  expect(rows.length).toBe(1);
  expect(row(rows[0]!, 'timer')).toEqual(['0:spawn', '0:clone#1', '0:timer', '0:pending', '10:wake#1', '10:ready']);
});

test('a counted future polled by hand takes the virtual time the reactor moved to', () => {
  const reactor = new VirtualReactor(100);
  const f = counted(timer(reactor, 5), { name: 'f' });
  const spy = spyWaker('s');
  pollWith(f, spy);
  reactor.advance(5);
  pollWith(f, spy);
  const t = used().find((x) => x.tasks.includes('f'))!;
  expect(row(t, 'f')).toEqual(['100:spawn', '100:pending', '105:wake', '105:ready']);
});

test('explore registers one schedule: the first that fails, step by step, not all of them laid over each other', () => {
  const r = explore(
    {
      a: function* (s: { n: number }) {
        const v = s.n;
        yield AWAIT;
        s.n = v + 1;
      },
      b: function* (s: { n: number }) {
        const v = s.n;
        yield AWAIT;
        s.n = v + 1;
      },
    },
    { mode: 'cooperative', setup: () => ({ n: 0 }), check: (s) => s.n === 2 || `lost an update: n = ${s.n}` },
  );
  expect(r.failure).toBeDefined();
  expect(r.schedules).toBeGreaterThan(1);
  const traces = used();
  expect(traces.length).toBe(1);
  const t = traces[0]!;
  expect(t.tasks).toEqual(['a', 'b']);
  // The recorded steps are the failing schedule's, in its order, with each task's return.
  const steps = t.events.filter((e) => e.kind !== 'spawn').map((e) => `${e.task}:${e.kind}`);
  expect(steps.map((x) => x.split(':')[0])).toEqual(r.failure!.schedule);
  expect(steps.filter((x) => x.endsWith(':ready')).length).toBe(2);
  expect(new Set(t.events.map((e) => e.t))).toEqual(new Set([0]));
});

test('explore with no failing schedule registers the last one run', () => {
  const r = explore({ only: function* () { yield AWAIT; } }, { mode: 'cooperative' });
  expect(r.failure).toBeUndefined();
  expect(used().map((t) => row(t, 'only'))).toEqual([['0:spawn', '0:step', '0:ready']]);
});

test('past the registry cap the oldest traces go, and the futures they held are counted', () => {
  for (let i = 0; i < REGISTRY_CAP + 5; i++) pollWith({ poll: () => ({ ready: false }) }, spyWaker(`spy ${i}`));
  expect(registry().length).toBe(REGISTRY_CAP);
  expect(registry().notShown).toBe(5);
  expect(registry()[0]!.tasks).toEqual(['spy 5']);
});
