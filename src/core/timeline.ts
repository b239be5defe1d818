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
  | 'io'
  /** Its waker was cloned (`clone` numbers the clone). */
  | 'clone'
  /** explore(): a step that ended at a yield, where the scheduler may switch / at until(), blocked. */
  | 'step'
  | 'blocked';

export interface TimelineEvent {
  /** Virtual time (the reactor's `now`; 0 without a reactor). */
  t: number;
  /** Order of events, for those at the same virtual time. */
  seq: number;
  task: string;
  kind: TimelineKind;
  /** For wakes: the task polling at the time (absent: a timer, a socket, or the check itself). */
  by?: string;
  /** Wakes and clones: which of the task's wakers (0 the original, n its n-th clone); absent when unknown. */
  clone?: number;
  /** Polls made by pollWith: which future (equal numbers, the same future object). */
  fut?: number;
}

export interface Timeline {
  tasks: string[];
  events: TimelineEvent[];
  /** Events left out past the cap (a spin makes thousands). */
  dropped: number;
  /** Set when the executor stopped a spin (SpinDetected). */
  spin?: { task: string; polls: number };
  /** Futures (tasks, spies) whose traces were pushed out of the per-test registry before the end. */
  notShown?: number;
}

export interface TimelineWarning {
  task: string;
  kind: 'lost-wake' | 'stale-waker' | 'self-wake' | 'woken-not-polled' | 'never-yields' | 'unwoken-polls';
  message: string;
}

const isPoll = (e: TimelineEvent): boolean => e.kind === 'pending' || e.kind === 'ready' || e.kind === 'threw';

/** "clone #2 of its waker" / "its original waker", for a wake or clone event. */
export function whichWaker(clone: number | undefined): string {
  if (clone === undefined) return 'its waker';
  return clone === 0 ? 'its original waker' : `clone #${clone} of its waker`;
}

/**
 * Rust's "waker from an old poll": a future polled by hand (pollWith) last by task B returned
 * Pending, and the next wake went to task A, which had polled that same future before, while B is
 * never woken. The future kept A's waker instead of the one of its latest poll.
 */
function staleWakers(tl: Timeline): Array<{ task: string; wake: TimelineEvent; message: string }> {
  const found: Array<{ task: string; wake: TimelineEvent; message: string }> = [];
  for (const task of tl.tasks) {
    const mine = tl.events.filter((e) => e.task === task);
    const last = mine.filter(isPoll).at(-1);
    if (last?.kind !== 'pending' || last.fut === undefined) continue;
    if (mine.some((e) => e.seq > last.seq && (e.kind === 'wake' || e.kind === 'self-wake' || e.kind === 'drop'))) continue;
    const polledBefore = (other: string) => tl.events.some((e) => e.task === other && isPoll(e) && e.fut === last.fut && e.seq < last.seq);
    const wake = tl.events.find((e) => e.seq > last.seq && e.kind === 'wake' && e.task !== task && polledBefore(e.task));
    if (wake === undefined) continue;
    const made = wake.clone ? tl.events.find((e) => e.task === wake.task && e.kind === 'clone' && e.clone === wake.clone) : undefined;
    const during = made && tl.events.find((e) => e.task === wake.task && isPoll(e) && e.seq > made.seq);
    const where = made ? (during?.fut === last.fut ? `, made during its poll at t=${during.t}` : `, made at t=${made.t}`) : '';
    found.push({
      task,
      wake,
      message:
        `"${task}" polled the future last and got Pending at t=${last.t}, but the wake at t=${wake.t} went to "${wake.task}" ` +
        `(${whichWaker(wake.clone)}${where}), which had polled it before: the future kept the waker from an old poll, so "${task}" is never woken. ` +
        'On every poll, keep cx.waker if the stored one would not wake the same task (!stored.willWakeSame(cx.waker)).',
    });
  }
  return found;
}

/** tokio-console's warnings, from the trace of one test's executor. */
export function timelineWarnings(tl: Timeline): TimelineWarning[] {
  const out: TimelineWarning[] = [];
  const stale = staleWakers(tl);
  for (const task of tl.tasks) {
    const staleHere = stale.find((x) => x.task === task);
    if (staleHere) out.push({ task, kind: 'stale-waker', message: staleHere.message });
    const mine = tl.events.filter((e) => e.task === task);
    const polls = mine.filter(isPoll);
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
      // A spawn is the first wake (a seed loop's next spy of the same name starts afresh).
      if (e.kind === 'wake' || e.kind === 'self-wake' || e.kind === 'spawn') wokenSince = true;
      else if (isPoll(e)) {
        if (!wokenSince) unwoken += 1;
        wokenSince = false;
      }
    }
    if (unwoken >= 3 && tl.spin?.task !== task) {
      out.push({ task, kind: 'unwoken-polls', message: `"${task}" was polled ${unwoken} times with no wake since its previous poll: whoever polls it is busy polling instead of waiting for the waker.` });
    }
    // A spin's last events were never recorded (the cap), so what happened after is unknown.
    if (!finished && !dropped && last !== undefined && tl.spin?.task !== task && tl.dropped === 0 && staleHere === undefined) {
      const after = mine.filter((e) => e.seq > last.seq && (e.kind === 'wake' || e.kind === 'self-wake'));
      // Wakes the stale-waker warning explains: they came here instead of to the future's latest poller.
      const unexplained = after.filter((e) => !stale.some((x) => x.wake === e));
      // A future polled by hand that handed its waker to the reactor may just not have been woken
      // yet: the check drives the clock, and may have stopped before the timer was due.
      const prev = polls.at(-2)?.seq ?? -1;
      const handedOver = last.fut !== undefined && mine.some((e) => (e.kind === 'timer' || e.kind === 'io') && e.seq > prev && e.seq < last.seq);
      // A wake from inside the poll is recorded before the poll's Pending: it is not lost, it is busy.
      const selfWoke = mine.find((e) => e.kind === 'self-wake' && e.seq > prev && e.seq < last.seq);
      if (after.length === 0 && last.kind === 'pending' && !handedOver && selfWoke !== undefined) {
        if (!out.some((w) => w.task === task && w.kind === 'self-wake')) {
          out.push({
            task,
            kind: 'self-wake',
            message: `"${task}" woke itself during its poll at t=${selfWoke.t} and returned Pending without handing the waker to anything (a timer, a socket, a channel): an executor would poll it again at once, and again — a busy loop dressed as a future (tokio-console: "self-wakes").`,
          });
        }
      } else if (after.length === 0 && last.kind === 'pending' && !handedOver) {
        // Polled by hand, the check may have stopped before whoever holds the waker (a channel) would wake it.
        const message =
          last.fut === undefined
            ? `task "${task}" returned Pending at t=${last.t} and nothing ever woke it: the waker was dropped or never handed to anything that would call wake() (a lost wake-up).`
            : `"${task}" got Pending at t=${last.t} and nothing woke it before the check ended: unless something keeps cx.waker (a timer, a socket, a channel) to call wake() later, this is a lost wake-up.`;
        out.push({ task, kind: 'lost-wake', message });
      } else if (unexplained.length > 0) {
        out.push({ task, kind: 'woken-not-polled', message: `task "${task}" was woken at t=${unexplained[0]!.t} but never polled again.` });
      }
    }
  }
  return out;
}

/**
 * Every executor's, spy's and counted future's trace of one test, as one timeline (events in the
 * order they happened, at most `cap`). Names that several traces use (a spy called "task" in
 * every seed's round) get a number, "task #2", so each future keeps its own row instead of
 * sharing one; `notShown` counts the futures of traces the registry pushed out.
 */
export function mergeTraces(traces: Timeline[], notShown = 0, cap = 2000): Timeline | undefined {
  const used = traces.filter((t) => t.events.length > 0);
  if (used.length === 0) return undefined;
  const seen = new Map<string, number>();
  const renamed = used.map((t): Timeline => {
    const names = new Map<string, string>();
    for (const task of t.tasks) {
      const n = (seen.get(task) ?? 0) + 1;
      seen.set(task, n);
      if (n > 1) names.set(task, `${task} #${n}`);
    }
    if (names.size === 0) return t;
    const as = (task: string) => names.get(task) ?? task;
    return {
      ...t,
      tasks: t.tasks.map(as),
      events: t.events.map((e) => (names.has(e.task) || (e.by !== undefined && names.has(e.by)) ? { ...e, task: as(e.task), ...(e.by === undefined ? {} : { by: as(e.by) }) } : e)),
      ...(t.spin === undefined ? {} : { spin: { ...t.spin, task: as(t.spin.task) } }),
    };
  });
  const events = renamed.flatMap((t) => t.events).sort((a, b) => a.seq - b.seq);
  const kept = events.slice(0, cap);
  const spin = renamed.find((t) => t.spin !== undefined)?.spin;
  return {
    tasks: [...new Set(renamed.flatMap((t) => t.tasks))],
    events: kept,
    dropped: renamed.reduce((n, t) => n + t.dropped, 0) + events.length - kept.length,
    ...(spin === undefined ? {} : { spin }),
    ...(notShown > 0 ? { notShown } : {}),
  };
}
