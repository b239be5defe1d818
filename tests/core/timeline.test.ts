import { expect, test } from 'vitest';
import { mergeTraces, timelineWarnings, type Timeline, type TimelineEvent } from '../../src/core/timeline.js';

let seq = 0;
const ev = (task: string, kind: TimelineEvent['kind'], t = 0, by?: string): TimelineEvent => ({ t, seq: ++seq, task, kind, ...(by ? { by } : {}) });
const tl = (events: TimelineEvent[], extra: Partial<Timeline> = {}): Timeline => ({ tasks: [...new Set(events.map((e) => e.task))], events, dropped: 0, ...extra });
const kinds = (t: Timeline) => timelineWarnings(t).map((w) => `${w.task}:${w.kind}`);

test.each<[string, Timeline, string[]]>([
  ['a task woken and finished: nothing to say', tl([ev('a', 'spawn'), ev('a', 'pending'), ev('a', 'wake', 5, 'b'), ev('a', 'ready', 5)]), []],
  ['Pending and never woken: a lost wake', tl([ev('a', 'spawn'), ev('a', 'pending'), ev('b', 'spawn'), ev('b', 'ready')]), ['a:lost-wake']],
  ['woken after its last poll but never polled again', tl([ev('a', 'spawn'), ev('a', 'pending'), ev('a', 'wake', 3)]), ['a:woken-not-polled']],
  ['dropped while Pending: cancelled, not lost', tl([ev('a', 'spawn'), ev('a', 'pending'), ev('a', 'drop')]), []],
  ['woke itself in most polls: a busy self-wake', tl([ev('a', 'spawn'), ...[1, 2, 3, 4].flatMap(() => [ev('a', 'self-wake'), ev('a', 'pending')]), ev('a', 'ready')]), ['a:self-wake']],
  ['stopped by the executor as a spin', tl([ev('a', 'spawn'), ev('a', 'self-wake'), ev('a', 'pending')], { spin: { task: 'a', polls: 10001 } }), ['a:never-yields']],
  ['polled again and again with no wake: busy polling', tl([ev('a', 'spawn'), ...[1, 2, 3, 4].map(() => ev('a', 'pending')), ev('a', 'ready')]), ['a:unwoken-polls']],
  ['woke itself in its one poll and registered nothing: busy, not lost', tl([ev('a', 'spawn'), ev('a', 'self-wake'), { ...ev('a', 'pending'), fut: 1 }]), ['a:self-wake']],
  ['one spurious poll is allowed', tl([ev('a', 'spawn'), ev('a', 'pending'), ev('a', 'pending'), ev('a', 'wake'), ev('a', 'ready')]), []],
])('%s', (_what, timeline, expected) => {
  expect(kinds(timeline)).toEqual(expected);
});

test('a spin with no self-wakes is named busy polling by whoever polls it', () => {
  const [w] = timelineWarnings(tl([ev('f', 'spawn'), ev('f', 'pending'), ev('f', 'pending')], { spin: { task: 'f', polls: 51 } }));
  expect(w).toMatchObject({ kind: 'never-yields' });
  expect(w!.message).toMatch(/polled again and again though nothing woke it/);
});

// Events of futures polled by hand (pollWith): `fut` names the future, `clone` which waker woke.
const hand = (task: string, kind: TimelineEvent['kind'], t: number, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({ ...ev(task, kind, t), ...extra });

test.each<[string, Timeline, string[]]>([
  [
    'a future moved to task B still wakes task A (a waker from an old poll): one warning, on B',
    tl([hand('A', 'spawn', 0), hand('A', 'clone', 0, { clone: 1 }), hand('A', 'pending', 0, { fut: 1 }), hand('B', 'spawn', 0), hand('B', 'pending', 0, { fut: 1 }), hand('A', 'wake', 50, { clone: 1 })]),
    ['B:stale-waker'],
  ],
  [
    'the same wake of A is no stale waker when A and B polled different futures',
    tl([hand('A', 'spawn', 0), hand('A', 'pending', 0, { fut: 1 }), hand('B', 'spawn', 0), hand('B', 'pending', 0, { fut: 2 }), hand('A', 'wake', 50, { clone: 1 })]),
    ['A:woken-not-polled', 'B:lost-wake'],
  ],
  [
    'B woken as well: nothing was lost',
    tl([hand('A', 'spawn', 0), hand('A', 'pending', 0, { fut: 1 }), hand('B', 'spawn', 0), hand('B', 'pending', 0, { fut: 1 }), hand('A', 'wake', 50), hand('B', 'wake', 50)]),
    ['A:woken-not-polled', 'B:woken-not-polled'],
  ],
  [
    'polled by hand after registering a timer: the check may have stopped before it was due, so no lost wake',
    tl([hand('task', 'spawn', 0), hand('task', 'timer', 0), hand('task', 'pending', 0, { fut: 1 })]),
    [],
  ],
  [
    'polled by hand with nothing registered: a lost wake',
    tl([hand('task', 'spawn', 0), hand('task', 'pending', 0, { fut: 1 })]),
    ['task:lost-wake'],
  ],
  [
    'an executor task that registered a timer and was never woken is still a lost wake (the executor turned the reactor dry)',
    tl([ev('a', 'spawn'), ev('a', 'timer'), ev('a', 'pending')]),
    ['a:lost-wake'],
  ],
  [
    'explore steps are not polls: a task that only yields and returns has nothing to warn about',
    tl([ev('a', 'spawn'), ev('a', 'step'), ev('a', 'step'), ev('a', 'step'), ev('a', 'step'), ev('a', 'ready')]),
    [],
  ],
])('%s', (_what, timeline, expected) => {
  expect(kinds(timeline)).toEqual(expected);
});

test("the stale-waker warning names the clone that was woken and the poll it was made in, and what to do", () => {
  const w = timelineWarnings(
    tl([hand('task A', 'spawn', 0), hand('task A', 'clone', 0, { clone: 1 }), hand('task A', 'pending', 0, { fut: 3 }), hand('task B', 'spawn', 0), hand('task B', 'pending', 10, { fut: 3 }), hand('task A', 'wake', 50, { clone: 1 })]),
  );
  expect(w.map((x) => x.kind)).toEqual(['stale-waker']);
  expect(w[0]!.message).toBe(
    '"task B" polled the future last and got Pending at t=10, but the wake at t=50 went to "task A" (clone #1 of its waker, made during its poll at t=0), ' +
      'which had polled it before: the future kept the waker from an old poll, so "task B" is never woken. ' +
      'On every poll, keep cx.waker if the stored one would not wake the same task (!stored.willWakeSame(cx.waker)).',
  );
});

test('merged traces: a name used by several traces gets a number per trace, so seed rounds keep their own rows', () => {
  const round = (t0: number): Timeline => tl([{ ...ev('task', 'spawn', t0) }, { ...ev('task', 'pending', t0), fut: 1 }, { ...ev('task', 'wake', t0 + 5) }, { ...ev('task', 'ready', t0 + 5), fut: 1 }]);
  const m = mergeTraces([round(0), tl([]), round(0), round(0)], 4)!;
  expect(m.tasks).toEqual(['task', 'task #2', 'task #3']);
  expect(m.events.filter((e) => e.task === 'task #3').map((e) => e.kind)).toEqual(['spawn', 'pending', 'wake', 'ready']);
  expect(m.notShown).toBe(4);
  // Each round is polled once per wake: no busy polling across the rounds.
  expect(timelineWarnings(m)).toEqual([]);
  expect(mergeTraces([tl([])])).toBeUndefined();
  expect(mergeTraces([round(0)])).not.toHaveProperty('notShown');
});

test('a spawn counts as the first wake: a second future of the same name in one trace is not busy polling', () => {
  const same = tl([0, 1, 2, 3].flatMap(() => [ev('task', 'spawn'), ev('task', 'pending'), ev('task', 'wake'), ev('task', 'ready')]));
  expect(kinds(same)).toEqual([]);
});
