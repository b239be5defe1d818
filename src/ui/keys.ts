import type { Style } from './style.js';
import { width } from './text.js';
import { currentView, listRows, passedNow, type ScrollBy, type WatchEvent, type WatchState } from '../core/watch-state.js';

/** The parts of a key press the table looks at (Ink's `Key` has these and more). */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

/** What keys can do: the session's operations, seen from the screen. */
export interface KeyActions {
  dispatch(e: WatchEvent): void;
  next(): void;
  hint(): void;
  recheck(): void;
  reset(name: string): void;
  solution(): void;
  lesson(): void;
  select(name: string): void;
  open(file: string): void;
  quit(): void;
}

export interface KeyContext {
  state: WatchState;
  /** The scrollable area as drawn now: lines visible and lines in all. */
  scroll: { room: number; total: number } | undefined;
  act: KeyActions;
}

export interface Binding {
  /** How the key is written in the footer, the help and the README. */
  key: string;
  label: string | ((s: WatchState) => string);
  /** A longer line for the help text. */
  help: string;
  matches(input: string, key: KeyPress): boolean;
  run(c: KeyContext, input: string, key: KeyPress): void;
  /** False: drawn dim, the key only says why it does nothing yet. */
  active?: (s: WatchState) => boolean;
  /** False: left out of the footer (e.g. scroll keys with nothing to scroll). */
  shown?: (c: Pick<KeyContext, 'state' | 'scroll'>) => boolean;
  /** Also a typed command in plain mode (no terminal): the letter + enter. */
  plain?: boolean;
}

export type Mode = 'exercise' | 'list' | 'search' | 'confirm-reset' | 'pager' | 'finish';

export interface ModeKeys {
  /** Said first in the footer, before the keys. */
  intro?: string;
  bindings: Binding[];
  /** Any key not in `bindings`. */
  otherwise?: (c: KeyContext, input: string, key: KeyPress) => void;
}

export function modeOf(s: WatchState): Mode {
  if (s.view === 'list') return s.list.searching ? 'search' : 'list';
  return s.view;
}

const char = (...cs: string[]) => (input: string) => cs.includes(input);
const cursorRow = (s: WatchState) => listRows(s)[s.list.cursor];

/** Which way a key moves: by line (↑↓ j k), by page (space b, PgDn PgUp), to an end (g G, Home End). */
function movement(input: string, key: KeyPress): ScrollBy | undefined {
  if (key.upArrow || input === 'k') return -1;
  if (key.downArrow || input === 'j') return 1;
  if (input === ' ' || key.pageDown) return 'page-down';
  if (input === 'b' || key.pageUp) return 'page-up';
  if (key.home || input === 'g') return 'home';
  if (key.end || input === 'G') return 'end';
  return undefined;
}
const scroll = (c: KeyContext, input: string, key: KeyPress) => {
  const by = movement(input, key);
  if (by !== undefined && c.scroll) c.act.dispatch({ type: 'scroll', by, room: c.scroll.room, total: c.scroll.total });
};

/** The scroll keys, as the verdict area's position line names them. */
export const SCROLL_KEYS = '↑↓ space b';

// Scrolling is the same in the pager and the verdict area: by line (↑↓ j k), by page (space b,
// PgDn PgUp), to either end (g G, Home End). Over a verdict the position line names the keys,
// so the footer stays one line at 80 columns.
const scrollKey = (shown?: Binding['shown']): Binding => ({
  key: SCROLL_KEYS,
  label: 'scroll',
  help: 'scroll a line (also j / k), a page (also PgDn / PgUp), to the top or end (g / G)',
  matches: (i, k) => movement(i, k) !== undefined,
  run: scroll,
  ...(shown ? { shown } : {}),
});

export const KEYS: Record<Mode, ModeKeys> = {
  exercise: {
    bindings: [
      { key: 'n', label: 'next', help: 'next exercise (after a pass)', matches: char('n'), run: (c) => c.act.next(), active: passedNow, plain: true },
      { key: 'h', label: (s) => (s.hintsOpen && s.hintsShown >= currentView(s).hints.length && s.hintsShown > 0 ? 'hide' : 'hint'), help: 'a hint (again: the next one; after the last, hides them)', matches: char('h'), run: (c) => c.act.hint(), plain: true },
      { key: 'l', label: 'list', help: 'list of exercises', matches: char('l'), run: (c) => c.act.dispatch({ type: 'open-list' }) },
      { key: 'r', label: 're-run', help: 'check again now', matches: char('r'), run: (c) => c.act.recheck(), plain: true },
      { key: 's', label: 'solution', help: 'the reference solution beside yours (after a pass)', matches: char('s'), run: (c) => c.act.solution(), active: (s) => currentView(s).done || passedNow(s) },
      { key: 'x', label: 'reset', help: 'back to the starting code (asks; keeps a backup)', matches: char('x'), run: (c) => c.act.dispatch({ type: 'ask-reset', name: c.state.current }) },
      { key: 'o', label: 'open', help: 'open the file in your editor', matches: char('o'), run: (c) => c.act.open(currentView(c.state).file) },
      { key: '?', label: 'lesson', help: "the topic's lesson", matches: char('?'), run: (c) => c.act.lesson() },
      {
        key: 't',
        label: 'timeline',
        help: 'what the tasks did (after a failing check that drives futures with the harness executor)',
        matches: char('t'),
        run: (c) => c.state.verdict?.timeline && c.act.dispatch({ type: 'show-pager', kind: 'timeline', lines: [] }),
        shown: (c) => c.state.verdict?.timeline !== undefined,
      },
      scrollKey(() => false),
      { key: 'q', label: 'quit', help: 'quit (progress is kept)', matches: char('q'), run: (c) => c.act.quit(), plain: true },
    ],
  },
  list: {
    bindings: [
      { key: '↑↓', label: 'move', help: 'move (also j / k, PgUp / PgDn, g / G)', matches: (i, k) => movement(i, k) !== undefined && i !== ' ' && i !== 'b', run: (c, i, k) => c.act.dispatch({ type: 'list-move', by: listMove(movement(i, k)!) }) },
      { key: 'enter', label: 'go', help: 'go to the exercise', matches: (_i, k) => Boolean(k.return), run: (c) => cursorRow(c.state) && c.act.select(cursorRow(c.state)!.name) },
      { key: 'f', label: (s) => `filter: ${s.list.filter}`, help: 'filter: all, pending, done', matches: char('f'), run: (c) => c.act.dispatch({ type: 'list-filter' }) },
      { key: '/', label: 'search', help: 'search by name or topic', matches: char('/'), run: (c) => c.act.dispatch({ type: 'list-search', text: undefined }) },
      { key: 'x', label: 'reset', help: 'reset the exercise under the cursor (asks)', matches: char('x'), run: (c) => cursorRow(c.state) && c.act.dispatch({ type: 'ask-reset', name: cursorRow(c.state)!.name }) },
      { key: 'esc', label: 'back', help: 'back to the exercise (also l)', matches: (i, k) => Boolean(k.escape) || i === 'l', run: (c) => c.act.dispatch({ type: 'close' }) },
      { key: 'q', label: 'quit', help: 'quit', matches: char('q'), run: (c) => c.act.quit() },
    ],
  },
  search: {
    intro: 'type to search',
    bindings: [
      { key: 'enter', label: 'done', help: 'keep the search (also esc)', matches: (_i, k) => Boolean(k.return || k.escape), run: (c) => c.act.dispatch({ type: 'close' }) },
    ],
    otherwise: (c, input, key) => {
      const text = c.state.list.search;
      if (key.backspace || key.delete) c.act.dispatch({ type: 'list-search', text: text.slice(0, -1) });
      else if (input && !key.ctrl && !key.meta) c.act.dispatch({ type: 'list-search', text: text + input });
    },
  },
  'confirm-reset': {
    bindings: [
      { key: 'y', label: 'reset', help: 'reset it', matches: char('y'), run: (c) => c.act.reset(c.state.resetTarget ?? c.state.current) },
      { key: 'n', label: 'keep', help: 'keep it as it is (also esc)', matches: (i, k) => i === 'n' || Boolean(k.escape), run: (c) => c.act.dispatch({ type: 'close' }) },
    ],
  },
  pager: {
    bindings: [scrollKey(), { key: 'esc', label: 'close', help: 'close (so does any key not listed, q too)', matches: (_i, k) => Boolean(k.escape), run: (c) => c.act.dispatch({ type: 'close' }) }],
    // Keys the footer does not list close the pager: q closes it too, it never quits from here.
    otherwise: (c) => c.act.dispatch({ type: 'close' }),
  },
  finish: {
    bindings: [scrollKey(() => false), { key: 'q', label: 'quit', help: 'quit', matches: char('q'), run: (c) => c.act.quit() }],
  },
};

const listMove = (by: ScrollBy): number | 'home' | 'end' => (by === 'page-down' ? 10 : by === 'page-up' ? -10 : by);

/** One key press, handled by the table for the screen's mode. */
export function handleKey(c: KeyContext, input: string, key: KeyPress): void {
  const table = KEYS[modeOf(c.state)];
  const binding = table.bindings.find((b) => b.matches(input, key));
  if (binding) binding.run(c, input, key);
  else table.otherwise?.(c, input, key);
}

const labelOf = (b: Binding, s: WatchState) => (typeof b.label === 'function' ? b.label(s) : b.label);

/** The footer: the mode's keys, inactive ones dim, wrapped between keys to the width (never cut). */
export function keyBar(c: Pick<KeyContext, 'state' | 'scroll'>, st: Style, cols: number): string[] {
  const table = KEYS[modeOf(c.state)];
  const items = table.bindings
    .filter((b) => b.shown?.(c) ?? true)
    .map((b) => (b.active && !b.active(c.state) ? st.dim(`${b.key} ${labelOf(b, c.state)}`) : `${st.bold(b.key)} ${labelOf(b, c.state)}`));
  if (table.intro) items.unshift(table.intro);
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.at(-1);
    if (last !== undefined && width(last) + 2 + width(item) <= cols) lines[lines.length - 1] = `${last}  ${item}`;
    else lines.push(item);
  }
  return lines;
}

/** Help lines for a mode's keys, from the same table as the handler and the footer. */
export function keyHelp(mode: Mode, options: { plain?: boolean } = {}): string[] {
  return KEYS[mode].bindings.filter((b) => !options.plain || b.plain).map((b) => `  ${b.key.padEnd(8)} ${b.help}`);
}

/** The typed commands of plain mode, as one line: "n next · h hint · r re-run · q quit". */
export const plainCommands = (s: WatchState): string =>
  // Printed lines cannot be hidden again: in plain mode h only ever shows hints.
  KEYS.exercise.bindings.filter((b) => b.plain).map((b) => `${b.key} ${labelOf(b, { ...s, hintsOpen: false })}`).join(' · ');
