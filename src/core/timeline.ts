/*
 * What the futures of a failed check did, on virtual time: recorded by the harness's TestExecutor
 * in the test worker (harness/timeline.ts writes this shape), carried by the verdict, drawn by the
 * UI (ui/timeline.ts). The warnings are tokio-console's (its `warnings.rs`) applied to the trace:
 * each names a task and what it did wrong, in the learner's terms.
 */

export type TimelineKind =
  /** The task was added (its first wake). */
  | 'spawn'
  /** A poll that returned Pending / Ready / threw. */
  | 'pending'
  | 'ready'
  | 'threw'
  /** Its waker (or a clone) was woken: during its own poll, or from elsewhere (`by` says who). */
  | 'wake'
  | 'self-wake'
  /** Cancelled: its future's drop() was called. */
  | 'drop'
  /** During its poll it registered a timer / interest in a socket with the reactor. */
  | 'timer'
  | 'io';

export interface TimelineEvent {
  /** Virtual time (the reactor's `now`; 0 without a reactor). */
  t: number;
  /** Order of events, for those at the same virtual time. */
  seq: number;
  task: string;
  kind: TimelineKind;
  /** For wakes: the task polling at the time, or 'reactor' (a timer or socket), or 'outside'. */
  by?: string;
}

export interface Timeline {
  tasks: string[];
  events: TimelineEvent[];
  /** Events left out past the cap (a spin makes thousands). */
  dropped: number;
  /** Set when the executor stopped a spin (SpinDetected). */
  spin?: { task: string; polls: number };
}

export interface TimelineWarning {
  task: string;
  kind: 'lost-wake' | 'self-wake' | 'woken-not-polled' | 'never-yields' | 'unwoken-polls';
  message: string;
}

/** tokio-console's warnings, from the trace of one test's executor. */
export function timelineWarnings(tl: Timeline): TimelineWarning[] {
  const out: TimelineWarning[] = [];
  for (const task of tl.tasks) {
    const mine = tl.events.filter((e) => e.task === task);
    const polls = mine.filter((e) => e.kind === 'pending' || e.kind === 'ready' || e.kind === 'threw');
    const last = polls.at(-1);
    const finished = last !== undefined && last.kind !== 'pending';
    const dropped = mine.some((e) => e.kind === 'drop');
    const selfWakes = mine.filter((e) => e.kind === 'self-wake').length;
    if (tl.spin?.task === task) {
      const why =
        selfWakes > polls.length / 2
          ? 'it wakes itself on every poll and never waits for anything. In Rust, tokio\'s cooperative budget exists for this.'
          : 'it was polled again and again though nothing woke it: whoever polls it is busy polling instead of waiting for the waker.';
      out.push({ task, kind: 'never-yields', message: `"${task}" was polled ${tl.spin.polls} times without finishing: ${why}` });
    } else if (polls.length >= 4 && selfWakes > polls.length / 2) {
      out.push({ task, kind: 'self-wake', message: `task "${task}" woke itself during ${selfWakes} of its ${polls.length} polls: a busy loop dressed as a future (tokio-console: "self-wakes").` });
    }
    // Polled again with no wake since the last poll (Rust allows it, but an executor that does it
    // in a loop is busy polling: it should wait for the waker instead).
    let unwoken = 0;
    let wokenSince = true;
    for (const e of mine) {
      if (e.kind === 'wake' || e.kind === 'self-wake') wokenSince = true;
      else if (e.kind === 'pending' || e.kind === 'ready' || e.kind === 'threw') {
        if (!wokenSince) unwoken += 1;
        wokenSince = false;
      }
    }
    if (unwoken >= 3 && tl.spin?.task !== task) {
      out.push({ task, kind: 'unwoken-polls', message: `"${task}" was polled ${unwoken} times with no wake since its previous poll: whoever polls it is busy polling instead of waiting for the waker.` });
    }
    // A spin's last events were never recorded (the cap), so what happened after is unknown.
    if (!finished && !dropped && last !== undefined && tl.spin?.task !== task && tl.dropped === 0) {
      const after = mine.filter((e) => e.seq > last.seq && (e.kind === 'wake' || e.kind === 'self-wake'));
      if (after.length === 0 && last.kind === 'pending') {
        out.push({ task, kind: 'lost-wake', message: `task "${task}" returned Pending at t=${last.t} and nothing ever woke it: the waker was dropped or never handed to anything that would call wake() (a lost wake-up).` });
      } else if (after.length > 0) {
        out.push({ task, kind: 'woken-not-polled', message: `task "${task}" was woken at t=${after[0]!.t} but never polled again.` });
      }
    }
  }
  return out;
}
