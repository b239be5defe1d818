import { expect, test } from 'vitest';
import { timelineWarnings, type Timeline } from '../../src/core/timeline.js';
import { plainStyle } from '../../src/ui/style.js';
import { width } from '../../src/ui/text.js';
import { renderTimeline } from '../../src/ui/timeline.js';

const timeline: Timeline = {
  tasks: ['reader', 'a-task-with-a-very-long-name'],
  events: [
    { t: 0, seq: 1, task: 'reader', kind: 'spawn' },
    { t: 0, seq: 2, task: 'reader', kind: 'pending' },
    { t: 0, seq: 3, task: 'a-task-with-a-very-long-name', kind: 'spawn' },
    { t: 40, seq: 4, task: 'reader', kind: 'wake', by: 'a-task-with-a-very-long-name' },
    { t: 40, seq: 5, task: 'a-task-with-a-very-long-name', kind: 'ready' },
    { t: 100, seq: 6, task: 'reader', kind: 'pending' },
  ],
  dropped: 0,
};
const full = { ...timeline, test: 'a send wakes the reader', warnings: timelineWarnings(timeline) };

test.each([80, 60])('a row per task with time across, the failing moment marked, at %i columns', (cols) => {
  const lines = renderTimeline(full, cols, plainStyle);
  for (const l of lines) expect(width(l)).toBeLessThanOrEqual(cols);
  expect(lines[0]).toBe('What the tasks did in "a send wakes the reader"');
  expect(lines.join('\n').replace(/\n\s*/g, ' ')).toMatch(/! task "reader" returned Pending at t=100 and nothing ever woke it/);
  expect(lines.join('\n')).toMatch(/virtual time 0–100 ms/);
  const reader = lines.find((l) => l.startsWith('reader'))!;
  const track = reader.slice(reader.indexOf('│ ') + 2);
  // At 0 the Pending outranks the spawn; the wake at 40 sits at 40 % of the track; the last Pending at the end.
  expect(track[0]).toBe('P');
  expect(track.indexOf('w')).toBe(Math.floor(0.4 * (track.length - 1)));
  expect(track.at(-1)).toBe('P');
  expect(lines.some((l) => l.startsWith('a-task-with-a') && l.includes('R'))).toBe(true);
  expect(lines.find((l) => l.includes('^'))!.indexOf('^')).toBe(reader.length - 1);
  expect(lines.join('\n').replace(/\n\s*/g, ' ')).toMatch(/a-task-with-a-very-long-name woke reader/);
});

// Two spies polled one future; it kept the first one's clone (a waker from an old poll), and the
// registry had pushed out three earlier futures.
const stale: Timeline = {
  tasks: ['task A', 'task B'],
  events: [
    { t: 0, seq: 1, task: 'task A', kind: 'spawn' },
    { t: 0, seq: 2, task: 'task A', kind: 'clone', clone: 1 },
    { t: 0, seq: 3, task: 'task A', kind: 'timer' },
    { t: 0, seq: 4, task: 'task A', kind: 'pending', fut: 1 },
    { t: 0, seq: 5, task: 'task B', kind: 'spawn' },
    { t: 0, seq: 6, task: 'task B', kind: 'pending', fut: 1 },
    { t: 120, seq: 7, task: 'task A', kind: 'wake', clone: 1 },
  ],
  dropped: 0,
  notShown: 3,
};

test.each([80, 60])('the clone that woke, the stale-waker warning and the futures not shown, at %i columns', (cols) => {
  const lines = renderTimeline({ ...stale, test: 'moved to another task', warnings: timelineWarnings(stale) }, cols, plainStyle);
  for (const l of lines) expect(width(l)).toBeLessThanOrEqual(cols);
  const text = lines.join('\n').replace(/\n\s*/g, ' ');
  expect(text).toMatch(/! "task B" polled the future last .* went to "task A" \(clone #1 of its waker, made during its poll at t=0\)/);
  expect(text).toMatch(/\(3 earlier futures not shown\)/);
  expect(text).toMatch(/Wakes: task A woken at t=120 via clone #1\./);
  // The legend names only the marks this timeline uses.
  expect(text).toMatch(/c its waker cloned/);
  expect(text).not.toMatch(/ran a step/);
  const b = lines.find((l) => l.startsWith('task B'))!;
  expect(b.slice(b.indexOf('│ ') + 2)[0]).toBe('P');
});

test('one future not shown is said in the singular, and none says nothing', () => {
  const one = renderTimeline({ ...timeline, notShown: 1, test: 't', warnings: [] }, 80, plainStyle).join('\n');
  expect(one).toMatch(/\(1 earlier future not shown\)/);
  expect(renderTimeline({ ...timeline, test: 't', warnings: [] }, 80, plainStyle).join('\n')).not.toMatch(/not shown/);
});

test('a schedule from explore (no virtual time): the axis says so in full at 60 columns, and the legend names steps', () => {
  const steps: Timeline = {
    tasks: ['a', 'b'],
    events: [
      { t: 0, seq: 1, task: 'a', kind: 'spawn' },
      { t: 0, seq: 2, task: 'b', kind: 'spawn' },
      { t: 0, seq: 3, task: 'a', kind: 'step' },
      { t: 0, seq: 4, task: 'b', kind: 'blocked' },
      { t: 0, seq: 5, task: 'a', kind: 'ready' },
    ],
    dropped: 0,
  };
  const lines = renderTimeline({ ...steps, test: 'on one thread, plain load and store are enough, in every interleaving', warnings: timelineWarnings(steps) }, 60, plainStyle);
  // A long test name wraps too: no line is wider than the screen.
  for (const l of lines) expect(width(l)).toBeLessThanOrEqual(60);
  expect(lines.slice(0, 2).join(' ').replace(/\s+/g, ' ')).toBe('What the tasks did in "on one thread, plain load and store are enough, in every interleaving"');
  expect(lines).toContain('task │ events in order (virtual time did not move)');
  expect(lines.join('\n').replace(/\n\s*/g, ' ')).toMatch(/R returned · y ran a step up to a yield · b ran a step, then blocked/);
  const b = lines.find((l) => l.startsWith('b '))!;
  expect(b.slice(b.indexOf('│ ') + 2)).toMatch(/^·+\+·+b·+$/);
});
