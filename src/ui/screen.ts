import { stripVTControlCharacters } from 'node:util';
import { diagnosisLessonFile, type Course } from '../core/course-schema.js';
import { currentView, listRows, type WatchState } from '../core/watch-state.js';
import { formatVerdict } from './format-verdict.js';
import { keyBar, SCROLL_KEYS } from './keys.js';
import { renderMarkdown } from './markdown.js';
import { renderTimeline } from './timeline.js';
import type { Style } from './style.js';
import { fit, wrapLine } from './text.js';

export interface ScreenOptions {
  width: number;
  height: number;
  style: Style;
  spinner: string;
  /** Clickable path (OSC 8) or plain text, decided by the caller for its terminal; `text` defaults to the path. */
  link: (file: string, text?: string) => string;
  /** An OSC 8 link to a web address, or undefined where the terminal cannot click one. */
  hyperlink?: (url: string, text: string) => string | undefined;
  finalMessage?: string;
  /** How the learner started the tool (`npx async-lessons` or `async-lessons`), for commands we suggest. */
  command?: string;
  diagnosisLessons?: Course['diagnosisLessons'];
}

/** A drawn screen, and what its scrollable area holds, for the keys that scroll it. */
export interface Screen {
  lines: string[];
  scroll: { room: number; total: number } | undefined;
}

function bar(done: number, total: number, cols: number, s: Style): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * cols);
  return `${s.green('█'.repeat(filled))}${s.dim('░'.repeat(cols - filled))} ${done}/${total}`;
}

// Code frame lines are cut, never wrapped: a wrapped line of code reads as two (the learner has
// the whole line in the editor). Everything else wraps, so no word of a verdict is lost.
const isCode = (l: string) => /^\s*[>^ ]?\s*\d*\s+\|/.test(stripVTControlCharacters(l));
// A tab is as wide as the terminal's tab stops decide, which nothing here can know.
const detab = (l: string) => l.replace(/\t/g, '    ');
const wrapVerdict = (lines: string[], cols: number) => lines.map(detab).flatMap((l) => (isCode(l) ? [fit(l, cols)] : wrapLine(l, cols)));
const wrapAll = (lines: string[], cols: number) => lines.map(detab).flatMap((l) => wrapLine(l, cols));

// A pager's text is laid out once per width, not on every key that scrolls it. A lesson is
// Markdown, rendered for the terminal; a solution (a diff) is wrapped as it is.
const pagerCache = new WeakMap<string[], { cols: number; wrapped: string[] }>();
function wrapPager(pager: NonNullable<WatchState['pager']>, o: ScreenOptions): string[] {
  const cols = o.width;
  const hit = pagerCache.get(pager.lines);
  if (hit?.cols === cols) return hit.wrapped;
  const wrapped = pager.kind === 'lesson' ? renderMarkdown(pager.lines.join('\n'), cols, { style: o.style, ...(o.hyperlink ? { hyperlink: o.hyperlink } : {}) }) : wrapAll(pager.lines, cols);
  pagerCache.set(pager.lines, { cols, wrapped });
  return wrapped;
}

function pagerLines(s: WatchState, o: ScreenOptions): string[] {
  if (!s.pager) return [];
  if (s.pager.kind === 'timeline') return s.verdict?.timeline ? renderTimeline(s.verdict.timeline, o.width, o.style) : [];
  return wrapPager(s.pager, o);
}



function exerciseBody(s: WatchState, o: ScreenOptions): string[] {
  const st = o.style;
  const e = currentView(s);
  // Hints come right under the verdict's headline: asked for, they are seen without scrolling.
  const hints: string[] = [];
  if (s.hintsOpen && s.hintsShown > 0) {
    hints.push(st.bold('Hints'));
    e.hints.slice(0, s.hintsShown).forEach((h, i) => hints.push(`${i + 1}/${e.hints.length}. ${h.trim()}`));
    if (e.rust) hints.push(st.dim(`Rust: ${e.rust.trim()}`));
    hints.push('');
  }
  if (s.fileMissing) return [st.yellow(`${e.file} was deleted. Press x to restore the starting code.`), ...hints];
  if (!s.verdict) return [st.dim(`${o.spinner} Checking ${e.name}…`), ...hints];
  const [headline, ...details] = formatVerdict(s.verdict, st, {
    all: true,
    link: (file, text) => o.link(file, text),
    lessonFor: (kind) => {
      const file = diagnosisLessonFile(o.diagnosisLessons, kind);
      return file && o.link(file);
    },
  });
  // The tests pass but the types are not in yet: that is not a pass, so it is not drawn as one.
  const pending = s.typesPending && s.verdict.status === 'passed';
  const top = pending ? st.yellow(`${o.spinner} ${e.name}: the tests pass; checking the types…`) : headline!;
  const body = [top, ...hints, ...details];
  if (pending) return body;
  if (s.verdict.status === 'passed') {
    // A pass reveals the reference solution (watch-session): say where, and what s does with it.
    const solution = e.file.replace(/^exercises\//, 'solutions/');
    body.push('', st.green('Press n for the next exercise.'), st.dim(`The reference solution is in ${o.link(solution)}; s shows it beside yours.`));
  }
  else if (s.verdict.status !== 'timeout') body.push('', st.dim(`Edit ${e.file} and save; the check runs again by itself.`));
  return body;
}

function listBody(s: WatchState, o: ScreenOptions, room: number): string[] {
  const st = o.style;
  const rows = listRows(s);
  const topic = Math.max(8, Math.min(20, Math.max(...s.exercises.map((x) => x.topic.length))));
  const head = [st.dim(`   ${'status'.padEnd(7)}  ${'topic'.padEnd(topic)}  exercise`)];
  if (s.list.searching || s.list.search) head.unshift(`/${s.list.search}${s.list.searching ? '▏' : ''}`);
  const legend = st.dim('> cursor · * the exercise you are on');
  const space = Math.max(1, room - head.length - 1);
  const start = Math.min(Math.max(0, s.list.cursor - Math.floor(space / 2)), Math.max(0, rows.length - space));
  const body = rows.slice(start, start + space).map((r, i) => {
    const mark = start + i === s.list.cursor ? st.cyan('>') : ' ';
    const cur = r.name === s.current ? st.cyan('*') : ' ';
    const status = r.done ? st.green('done   ') : 'pending';
    return `${mark}${cur} ${status}  ${r.topic.padEnd(topic).slice(0, topic)}  ${r.name}`;
  });
  if (rows.length === 0) body.push(st.dim('No exercise matches.'));
  return [...head, ...body, legend];
}

/** `content` in `room` lines from `top`; past the room it scrolls, with a line saying where it is. */
function region(content: string[], room: number, top: number, st: Style, always: boolean): Screen {
  if (content.length <= room && !always) return { lines: content, scroll: { room, total: content.length } };
  const visible = Math.max(1, room - 1);
  const first = Math.min(Math.max(0, top), Math.max(0, content.length - visible));
  const shown = content.slice(first, first + visible);
  const last = first + shown.length;
  const where = content.length === 0 ? 'empty' : `lines ${first + 1}–${last} of ${content.length}`;
  const more = (last < content.length ? ' · more below' : ' · the end') + (always ? '' : ` · ${SCROLL_KEYS} to scroll`);
  const pad = always ? Array.from({ length: visible - shown.length }, () => '') : [];
  return { lines: [...shown, ...pad, st.dim(`${where}${more}`)], scroll: { room: visible, total: content.length } };
}

/** What a reset keeps: the learner's version, unless their file is gone (then there is none). */
function resetNote(s: WatchState, o: ScreenOptions): string {
  const target = s.resetTarget ?? s.current;
  const command = o.command ?? 'async-lessons';
  if (target === s.current && s.fileMissing) return `${currentView(s).file} was deleted, so there is nothing to back up: the starting code comes back in its place.`;
  return `Your current version is kept in .async-lessons/backups/ (\`${command} undo-reset ${target}\` brings it back).`;
}

/** The body of the screen's view, before it is fitted into the room left between header and footer. */
function content(s: WatchState, o: ScreenOptions): { lines: string[]; top: number; paged: boolean } | undefined {
  const st = o.style;
  switch (s.view) {
    case 'pager':
      return { lines: pagerLines(s, o), top: s.pager?.top ?? 0, paged: true };
    case 'confirm-reset':
      return {
        lines: wrapAll([`Reset ${st.bold(s.resetTarget ?? s.current)} to its starting code?`, resetNote(s, o)], o.width),
        top: 0,
        paged: false,
      };
    case 'finish':
      return { lines: wrapAll([st.green('Every exercise passes. You have finished the course!'), '', ...(o.finalMessage?.trim().split('\n') ?? [])], o.width), top: s.verdictTop, paged: false };
    case 'exercise':
      return { lines: wrapVerdict(exerciseBody(s, o), o.width), top: s.verdictTop, paged: false };
    case 'list':
      return undefined;
  }
}

/** The whole screen, fitted to width × height; the footer's keys always stay on screen. */
export function layout(s: WatchState, o: ScreenOptions): Screen {
  const st = o.style;
  const e = currentView(s);
  const done = s.exercises.filter((x) => x.done).length;
  const inTopic = s.exercises.filter((x) => x.topic === e.topic);
  const index = s.exercises.findIndex((x) => x.name === e.name) + 1;
  const status = s.checking ? st.yellow(` ${o.spinner} checking`) : '';
  const header = [`${st.bold(e.name)} ${st.dim(`· ${e.topic} · ${index}/${s.exercises.length}`)}${status}`, o.link(e.file), ''];
  const footer = [
    ...(s.notice ? wrapAll([st.yellow(s.notice)], o.width) : []),
    st.dim('─'.repeat(o.width)),
    `course ${bar(done, s.exercises.length, 12, st)}   topic ${bar(inTopic.filter((x) => x.done).length, inTopic.length, 8, st)}`,
    // The keys never depend on the scroll: over a verdict, its position line names the scroll keys.
    ...keyBar({ state: s, scroll: undefined }, st, o.width),
  ];
  const room = Math.max(1, o.height - header.length - footer.length);
  const body = content(s, o);
  const drawn = body === undefined ? { lines: listBody(s, o, room), scroll: undefined } : region(body.lines, room, body.top, st, body.paged);
  return { lines: [...header, ...drawn.lines, ...footer].map((l) => fit(l, o.width)), scroll: drawn.scroll };
}

export const screenLines = (s: WatchState, o: ScreenOptions): string[] => layout(s, o).lines;
