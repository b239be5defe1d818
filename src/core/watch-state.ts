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

export type View = 'exercise' | 'list' | 'confirm-reset' | 'lesson' | 'finish';

export interface ListState {
  cursor: number;
  filter: 'all' | 'done' | 'pending';
  search: string;
  searching: boolean;
}

export interface WatchState {
  exercises: ExerciseView[];
  current: string;
  view: View;
  checking: boolean;
  /** The verdict for the current exercise's files as they are now (runtime first, then typed). */
  verdict: Verdict | undefined;
  typesPending: boolean;
  hintsShown: number;
  fileMissing: boolean;
  notice: string | undefined;
  list: ListState;
  /** Which exercise a confirm-reset is about. */
  resetTarget: string | undefined;
  lessonPage: number;
}

export type WatchEvent =
  | { type: 'check-started' }
  | { type: 'runtime-verdict'; verdict: Verdict }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'file-missing'; missing: boolean }
  | { type: 'next' }
  | { type: 'hint' }
  | { type: 'notice'; text: string | undefined }
  | { type: 'open-list' }
  | { type: 'close' }
  | { type: 'list-move'; by: number | 'home' | 'end' }
  | { type: 'list-filter' }
  | { type: 'list-search'; text: string | undefined }
  | { type: 'select'; name: string }
  | { type: 'ask-reset'; name: string }
  | { type: 'lesson'; page: number }
  | { type: 'mark-done'; name: string }
  | { type: 'hints-seen'; count: number };

export function initialWatchState(exercises: ExerciseView[], current: string, hintsSeen: number): WatchState {
  return {
    exercises,
    current,
    view: 'exercise',
    checking: false,
    verdict: undefined,
    typesPending: false,
    hintsShown: hintsSeen,
    fileMissing: false,
    notice: undefined,
    list: { cursor: Math.max(0, exercises.findIndex((e) => e.name === current)), filter: 'all', search: '', searching: false },
    resetTarget: undefined,
    lessonPage: 0,
  };
}

export const currentView = (s: WatchState): ExerciseView => s.exercises.find((e) => e.name === s.current)!;

/** The rows the list view shows, after its filter and search. */
export function listRows(s: WatchState): ExerciseView[] {
  const q = s.list.search.toLowerCase();
  return s.exercises.filter(
    (e) => (s.list.filter === 'all' || (s.list.filter === 'done') === e.done) && (q === '' || e.name.toLowerCase().includes(q) || e.topic.toLowerCase().includes(q)),
  );
}

const FILTERS: ListState['filter'][] = ['all', 'pending', 'done'];

/** The pure transition of the watch screen. IO (checks, progress, files) happens around it. */
export function watchReducer(s: WatchState, e: WatchEvent): WatchState {
  switch (e.type) {
    case 'check-started':
      return { ...s, checking: true, notice: undefined };
    case 'runtime-verdict':
      return { ...s, verdict: e.verdict, typesPending: true };
    case 'verdict':
      return { ...s, checking: false, verdict: e.verdict, typesPending: false, fileMissing: false };
    case 'file-missing':
      return { ...s, fileMissing: e.missing };
    case 'next':
      // `n` counts only after a pass of the files as they are now.
      if (s.verdict?.status !== 'passed' || s.checking) return { ...s, notice: 'The exercise has not passed yet: n moves on only after a pass.' };
      return s;
    case 'hint': {
      const total = currentView(s).hints.length;
      if (s.hintsShown >= total) return { ...s, notice: total === 0 ? 'This exercise has no hints.' : 'That was the last hint.' };
      return { ...s, hintsShown: s.hintsShown + 1, notice: undefined };
    }
    case 'hints-seen':
      return { ...s, hintsShown: e.count };
    case 'notice':
      return { ...s, notice: e.text };
    case 'open-list':
      return { ...s, view: 'list', list: { ...s.list, cursor: Math.max(0, listRows(s).findIndex((x) => x.name === s.current)) } };
    case 'close':
      if (s.view === 'list' && s.list.searching) return { ...s, list: { ...s.list, searching: false } };
      return { ...s, view: 'exercise', resetTarget: undefined };
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
    case 'select':
      if (!s.exercises.some((x) => x.name === e.name)) return s;
      return { ...s, current: e.name, view: 'exercise', verdict: e.name === s.current ? s.verdict : undefined, hintsShown: e.name === s.current ? s.hintsShown : 0, fileMissing: false, notice: undefined };
    case 'ask-reset':
      return { ...s, view: 'confirm-reset', resetTarget: e.name };
    case 'lesson':
      return { ...s, view: 'lesson', lessonPage: Math.max(0, e.page) };
    case 'mark-done':
      return { ...s, exercises: s.exercises.map((x) => (x.name === e.name ? { ...x, done: true } : x)) };
  }
}
