import type { Verdict } from './verdict.js';

/** What the watch screen needs to know about an exercise (no IO, no paths beyond display). */
export interface ExerciseView {
  name: string;
  topic: string;
  file: string;
  hints: string[];
  rust: string | undefined;
  done: boolean;
}

export type View = 'exercise' | 'list' | 'confirm-reset' | 'pager' | 'finish';

export interface ListState {
  cursor: number;
  filter: 'all' | 'done' | 'pending';
  search: string;
  searching: boolean;
}

/** A lesson or a solution diff, read a screenful at a time. `top` counts lines as drawn (wrapped). */
export interface Pager {
  /** A timeline's lines are drawn from the verdict at the screen's width; `lines` stays empty. */
  kind: 'lesson' | 'solution' | 'timeline';
  lines: string[];
  top: number;
}

export interface WatchState {
  exercises: ExerciseView[];
  current: string;
  view: View;
  checking: boolean;
  /** The verdict for the current exercise's files as they are now (runtime first, then typed). */
  verdict: Verdict | undefined;
  typesPending: boolean;
  /** How many hints have been revealed (kept in progress), and whether they are on screen. */
  hintsShown: number;
  hintsOpen: boolean;
  fileMissing: boolean;
  /** A one-off message; any change of view clears it, so it never follows the learner around. */
  notice: string | undefined;
  /** The notice outlives the next check's start (one said before the first check, e.g. which workspace opened). */
  noticeKept: boolean;
  list: ListState;
  /** Which exercise a confirm-reset is about, and the view to go back to after it. */
  resetTarget: string | undefined;
  resetFrom: 'exercise' | 'list';
  pager: Pager | undefined;
  /** First line of the verdict area shown (lines as drawn), when it does not fit the screen. */
  verdictTop: number;
}

/**
 * A scroll, with the sizes the screen measured: `room` lines visible, `total` lines in all.
 * The reducer stays pure and knows nothing of widths; the screen says what it drew.
 */
export type ScrollBy = number | 'page-down' | 'page-up' | 'home' | 'end';

export type WatchEvent =
  | { type: 'check-started' }
  | { type: 'runtime-verdict'; verdict: Verdict }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'file-missing'; missing: boolean }
  | { type: 'next' }
  | { type: 'hint' }
  | { type: 'notice'; text: string | undefined; keep?: boolean }
  | { type: 'open-list' }
  | { type: 'close' }
  | { type: 'list-move'; by: number | 'home' | 'end' }
  | { type: 'list-filter' }
  | { type: 'list-search'; text: string | undefined }
  | { type: 'select'; name: string }
  | { type: 'ask-reset'; name: string }
  | { type: 'show-pager'; kind: Pager['kind']; lines: string[] }
  | { type: 'scroll'; by: ScrollBy; room: number; total: number }
  | { type: 'hints-seen'; count: number }
  | { type: 'finish'; verdict: Verdict };

export function initialWatchState(exercises: ExerciseView[], current: string, hintsSeen: number): WatchState {
  return {
    exercises,
    current,
    view: 'exercise',
    checking: false,
    verdict: undefined,
    typesPending: false,
    hintsShown: hintsSeen,
    hintsOpen: hintsSeen > 0,
    fileMissing: false,
    notice: undefined,
    noticeKept: false,
    list: { cursor: Math.max(0, exercises.findIndex((e) => e.name === current)), filter: 'all', search: '', searching: false },
    resetTarget: undefined,
    resetFrom: 'exercise',
    pager: undefined,
    verdictTop: 0,
  };
}

export const currentView = (s: WatchState): ExerciseView => s.exercises.find((e) => e.name === s.current)!;

/** A pass of the files as they are now, type check included: what `n` and `s` wait for. */
export const passedNow = (s: WatchState): boolean => s.verdict?.status === 'passed' && !s.checking && !s.typesPending;

/** The rows the list view shows, after its filter and search. */
export function listRows(s: WatchState): ExerciseView[] {
  const q = s.list.search.toLowerCase();
  return s.exercises.filter(
    (e) => (s.list.filter === 'all' || (s.list.filter === 'done') === e.done) && (q === '' || e.name.toLowerCase().includes(q) || e.topic.toLowerCase().includes(q)),
  );
}

/** The new first line after a scroll; every line stays reachable, the last page ends at the last line. */
export function scrolled(top: number, by: ScrollBy, room: number, total: number): number {
  const last = Math.max(0, total - Math.max(1, room));
  const from = Math.min(Math.max(0, top), last);
  const to = by === 'home' ? 0 : by === 'end' ? last : by === 'page-down' ? from + room : by === 'page-up' ? from - room : from + by;
  return Math.min(last, Math.max(0, to));
}

const FILTERS: ListState['filter'][] = ['all', 'pending', 'done'];

function hint(s: WatchState): WatchState {
  const total = currentView(s).hints.length;
  if (total === 0) return { ...s, notice: 'This exercise has no hints.' };
  // After the last hint, h hides them and shows them again: hints can be collapsed.
  if (s.hintsShown >= total) {
    return s.hintsOpen ? { ...s, hintsOpen: false, notice: 'That was the last hint; h shows them again.' } : { ...s, hintsOpen: true, verdictTop: 0, notice: undefined };
  }
  return { ...s, hintsShown: s.hintsShown + 1, hintsOpen: true, verdictTop: 0, notice: undefined };
}

/** The pure transition of the watch screen. IO (checks, progress, files) happens around it. */
export function watchReducer(s: WatchState, e: WatchEvent): WatchState {
  switch (e.type) {
    case 'check-started':
      return { ...s, checking: true, notice: s.noticeKept ? s.notice : undefined, noticeKept: false };
    case 'runtime-verdict':
      return { ...s, verdict: e.verdict, typesPending: true, verdictTop: 0 };
    case 'verdict': {
      // A pass counts at once (as in rustlings): quitting on the pass screen keeps it; n only moves on.
      const passed = e.verdict.status === 'passed' && e.verdict.exercise === s.current;
      const exercises = passed ? s.exercises.map((x) => (x.name === s.current ? { ...x, done: true } : x)) : s.exercises;
      const same = s.verdict !== undefined && s.verdict.status === e.verdict.status && s.typesPending;
      return { ...s, exercises, checking: false, verdict: e.verdict, typesPending: false, fileMissing: false, verdictTop: same ? s.verdictTop : 0 };
    }
    case 'file-missing':
      return { ...s, fileMissing: e.missing };
    case 'next':
      // `n` moves on only after a pass of the files as they are now.
      if (!passedNow(s)) return { ...s, notice: 'The exercise has not passed yet: n moves on only after a pass.' };
      return s;
    case 'hint':
      return hint(s);
    case 'hints-seen':
      return { ...s, hintsShown: e.count, hintsOpen: e.count > 0 };
    case 'notice':
      return { ...s, notice: e.text, noticeKept: e.keep === true };
    case 'open-list':
      return { ...s, view: 'list', notice: undefined, list: { ...s.list, cursor: Math.max(0, listRows(s).findIndex((x) => x.name === s.current)) } };
    case 'close':
      if (s.view === 'list' && s.list.searching) return { ...s, list: { ...s.list, searching: false } };
      if (s.view === 'confirm-reset') return { ...s, view: s.resetFrom, resetTarget: undefined, notice: undefined };
      return { ...s, view: 'exercise', pager: undefined, notice: undefined };
    case 'list-move': {
      const rows = listRows(s).length;
      if (rows === 0) return s;
      const cursor = e.by === 'home' ? 0 : e.by === 'end' ? rows - 1 : Math.min(rows - 1, Math.max(0, s.list.cursor + e.by));
      return { ...s, list: { ...s.list, cursor } };
    }
    case 'list-filter': {
      const filter = FILTERS[(FILTERS.indexOf(s.list.filter) + 1) % FILTERS.length]!;
      return { ...s, list: { ...s.list, filter, cursor: 0 } };
    }
    case 'list-search':
      return e.text === undefined
        ? { ...s, list: { ...s.list, searching: true } }
        : { ...s, list: { ...s.list, search: e.text, cursor: 0 } };
    case 'select': {
      if (!s.exercises.some((x) => x.name === e.name)) return s;
      const same = e.name === s.current;
      return {
        ...s,
        current: e.name,
        view: 'exercise',
        pager: undefined,
        verdict: same ? s.verdict : undefined,
        typesPending: same && s.typesPending,
        hintsShown: same ? s.hintsShown : 0,
        hintsOpen: same && s.hintsOpen,
        fileMissing: false,
        notice: undefined,
        verdictTop: 0,
      };
    }
    case 'ask-reset':
      return { ...s, view: 'confirm-reset', resetTarget: e.name, resetFrom: s.view === 'list' ? 'list' : 'exercise', notice: undefined };
    case 'show-pager':
      return { ...s, view: 'pager', pager: { kind: e.kind, lines: e.lines, top: 0 }, notice: undefined };
    case 'scroll':
      if (s.view === 'pager' && s.pager) return { ...s, pager: { ...s.pager, top: scrolled(s.pager.top, e.by, e.room, e.total) } };
      if (s.view === 'exercise' || s.view === 'finish') return { ...s, verdictTop: scrolled(s.verdictTop, e.by, e.room, e.total) };
      return s;
    case 'finish':
      return { ...s, view: 'finish', pager: undefined, checking: false, typesPending: false, verdict: e.verdict, verdictTop: 0 };
  }
}
