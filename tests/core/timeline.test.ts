import { expect, test } from 'vitest';
import { timelineWarnings, type Timeline, type TimelineEvent } from '../../src/core/timeline.js';

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
  ['one spurious poll is allowed', tl([ev('a', 'spawn'), ev('a', 'pending'), ev('a', 'pending'), ev('a', 'wake'), ev('a', 'ready')]), []],
])('%s', (_what, timeline, expected) => {
  expect(kinds(timeline)).toEqual(expected);
});

test('a spin with no self-wakes is named busy polling by whoever polls it', () => {
  const [w] = timelineWarnings(tl([ev('f', 'spawn'), ev('f', 'pending'), ev('f', 'pending')], { spin: { task: 'f', polls: 51 } }));
  expect(w).toMatchObject({ kind: 'never-yields' });
  expect(w!.message).toMatch(/polled again and again though nothing woke it/);
});
