import type { TimelineEvent, TimelineKind } from '../core/timeline.js';
import type { VerdictTimeline } from '../core/verdict.js';
import type { Style } from './style.js';
import { fit, width, wrapLine } from './text.js';

/*
 * A failed check's timeline at the screen's width: the warnings first, then a row per task with
 * time going right, a mark per event, and the moment the check failed pointed at. Where events
 * share a column the one that says most is drawn (a throw over a Ready over a drop over a poll
 * over a wake). Plain text, so it reads the same without colour and in a pipe.
 */

const MARK: Record<TimelineKind, string> = {
  spawn: '+', pending: 'P', ready: 'R', threw: '!', wake: 'w', 'self-wake': 's', drop: 'x', timer: 't', io: 'i', clone: 'c', step: 'y', blocked: 'b',
};
const WEIGHT: Record<TimelineKind, number> = {
  threw: 6, ready: 5, drop: 4, pending: 3, step: 3, blocked: 3, 'self-wake': 2, wake: 1, timer: 0.5, io: 0.5, clone: 0.4, spawn: 0,
};
const MEANING: Record<TimelineKind, string> = {
  spawn: 'spawned', pending: 'polled: Pending', ready: 'polled: Ready', threw: 'poll threw', wake: 'woken', 'self-wake': 'woke itself during its poll',
  drop: 'dropped', timer: 'registered a timer', io: 'registered socket interest', clone: 'its waker cloned', step: 'ran a step up to a yield', blocked: 'ran a step, then blocked',
};
const ORDER: TimelineKind[] = ['spawn', 'pending', 'ready', 'step', 'blocked', 'threw', 'wake', 'self-wake', 'clone', 'drop', 'timer', 'io'];

/** The marks drawn, for the kinds of event the timeline has. */
export function timelineLegend(kinds: Iterable<TimelineKind>): string {
  const have = new Set(kinds);
  const faint = (['clone', 'timer', 'io'] as const).filter((k) => have.has(k)).map((k) => MARK[k]);
  // explore's tasks are generators: they are stepped, and R is their return, not a poll.
  const stepped = (have.has('step') || have.has('blocked')) && !have.has('pending');
  const meaning = (k: TimelineKind) => (stepped && k === 'ready' ? 'returned' : stepped && k === 'threw' ? 'threw' : MEANING[k]);
  const legend = ORDER.filter((k) => have.has(k)).map((k) => `${MARK[k]} ${meaning(k)}`).join(' · ');
  return faint.length === 0 ? legend : `${legend} (${faint.join(', ')}: shown only in a column with no poll)`;
}

const viaWhich = (clone: number | undefined): string => (clone === undefined ? '' : clone === 0 ? ' via the original waker' : ` via clone #${clone}`);

function columnOf(events: TimelineEvent[], cols: number): (e: TimelineEvent) => number {
  const t0 = Math.min(...events.map((e) => e.t));
  const span = Math.max(...events.map((e) => e.t)) - t0;
  // Virtual time that never moved (no reactor, or all in one instant): order is all there is.
  if (span === 0) {
    const rank = new Map(events.map((e, i) => [e.seq, i]));
    return (e) => Math.min(cols - 1, Math.floor(((rank.get(e.seq) ?? 0) / Math.max(1, events.length - 1)) * (cols - 1)));
  }
  return (e) => Math.min(cols - 1, Math.floor(((e.t - t0) / span) * (cols - 1)));
}

/** The timeline as lines of at most `cols` columns. */
export function renderTimeline(tl: VerdictTimeline, cols: number, s: Style): string[] {
  const out: string[] = wrapLine(s.bold(`What the tasks did in "${tl.test}"`), cols);
  for (const w of tl.warnings) out.push(...wrapLine(s.yellow(`! ${w.message}`), cols));
  if (tl.warnings.length > 0) out.push('');
  const events = [...tl.events].sort((a, b) => a.seq - b.seq);
  if (events.length === 0) return [...out, s.dim('(no task was polled)')];
  const label = Math.min(14, Math.max(4, ...tl.tasks.map((t) => width(t))));
  const track = Math.max(10, cols - label - 3);
  const at = columnOf(events, track);
  const t0 = Math.min(...events.map((e) => e.t));
  const t1 = Math.max(...events.map((e) => e.t));
  const axis = t1 === t0 ? 'events in order (virtual time did not move)' : `virtual time ${t0}–${t1} ms`;
  out.push(s.dim(fit(`${'task'.padEnd(label)} │ ${axis}`, cols)));
  for (const task of tl.tasks) {
    const row = Array.from({ length: track }, () => ({ mark: '·', weight: -1 }));
    for (const e of events.filter((x) => x.task === task)) {
      const c = at(e);
      if (WEIGHT[e.kind] > row[c]!.weight) row[c] = { mark: MARK[e.kind], weight: WEIGHT[e.kind] };
    }
    const name = width(task) > label ? fit(task, label) : task.padEnd(label);
    out.push(`${name} │ ${row.map((x) => x.mark).join('')}`);
  }
  const end = at(events.at(-1)!);
  out.push(`${' '.repeat(label)} │ ${' '.repeat(end)}${s.red('^')} ${end > track - 16 ? '' : s.dim('the check failed after this')}`.trimEnd());
  if (tl.spin) out.push(...wrapLine(s.dim(`The executor stopped "${tl.spin.task}" after ${tl.spin.polls} polls (a spin).`), cols));
  if (tl.dropped > 0) out.push(s.dim(`(${tl.dropped} later events not recorded)`));
  if ((tl.notShown ?? 0) > 0) {
    const n = tl.notShown!;
    out.push(...wrapLine(s.dim(`(${n} earlier ${n === 1 ? 'future' : 'futures'} not shown)`), cols));
  }
  out.push(...wrapLine(s.dim(timelineLegend(events.map((e) => e.kind))), cols));
  // Who woke whom, and with which of the task's wakers: a stale clone shows up here.
  const wakes = events.filter((e) => e.kind === 'wake' && (e.by !== undefined || e.clone !== undefined));
  if (wakes.length > 0) {
    const all = [...new Set(wakes.map((e) => `${e.by === undefined ? `${e.task} woken at t=${e.t}` : `${e.by} woke ${e.task}`}${viaWhich(e.clone)}`))];
    const who = all.slice(0, 6).join(', ') + (all.length > 6 ? `, and ${all.length - 6} more` : '');
    out.push(...wrapLine(s.dim(`Wakes: ${who}.`), cols));
  }
  return out;
}
