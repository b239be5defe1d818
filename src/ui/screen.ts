import { stripVTControlCharacters } from 'node:util';
import { diagnosisLessonFile, type Course } from '../core/course-schema.js';
import { currentView, listRows, type WatchState } from '../core/watch-state.js';
import { formatVerdict } from './format-verdict.js';
import type { Style } from './style.js';

export interface ScreenOptions {
  width: number;
  height: number;
  style: Style;
  spinner: string;
  /** Clickable path (OSC 8) or plain text, decided by the caller for its terminal. */
  link: (file: string) => string;
  lesson?: string[];
  finalMessage?: string;
  diagnosisLessons?: Course['diagnosisLessons'];
}

const visible = (s: string) => stripVTControlCharacters(s).length;

/** Cuts a styled line to `width` visible columns (ANSI codes kept whole). */
export function fit(line: string, width: number): string {
  if (visible(line) <= width) return line;
  let out = '';
  let shown = 0;
  for (const part of line.split(/(\u001b\[[0-9;]*m|\u001b\]8;;[^\u0007]*\u0007)/)) {
    if (part.startsWith('\u001b')) {
      out += part;
      continue;
    }
    const room = width - 1 - shown;
    if (room <= 0) break;
    out += part.slice(0, room);
    shown += Math.min(part.length, room);
  }
  return `${out}…\u001b[0m`;
}

function bar(done: number, total: number, width: number, s: Style): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `${s.green('█'.repeat(filled))}${s.dim('░'.repeat(width - filled))} ${done}/${total}`;
}

/** Wraps long lines to the width instead of cutting them (verdict messages can be long). */
function wrap(lines: string[], width: number): string[] {
  return lines.flatMap((l) => {
    // Code frame lines are cut, never wrapped: a wrapped line of code reads as two.
    if (visible(l) <= width || /\u001b/.test(l) || /^\s*[>^ ]?\s*\d*\s+\|/.test(stripVTControlCharacters(l))) return [l];
    const out: string[] = [];
    let rest = l;
    const indent = /^\s*/.exec(l)![0];
    while (rest.length > width) {
      let cut = rest.lastIndexOf(' ', width);
      if (cut <= indent.length) cut = width;
      out.push(rest.slice(0, cut));
      rest = `${indent}  ${rest.slice(cut).trimStart()}`;
    }
    out.push(rest);
    return out;
  });
}

function keyBar(s: WatchState, st: Style): string {
  const k = (key: string, what: string) => `${st.bold(key)} ${what}`;
  switch (s.view) {
    case 'list':
      return s.list.searching
        ? 'type to search · enter done · esc cancel'
        : [k('↑↓', 'move'), k('enter', 'go'), k('f', `filter: ${s.list.filter}`), k('/', 'search'), k('x', 'reset'), k('esc', 'back')].join(' · ');
    case 'confirm-reset':
      return [k('y', 'reset'), k('n', 'keep')].join(' · ');
    case 'lesson':
      return [k('space', 'next page'), k('b', 'back a page'), k('esc', 'close')].join(' · ');
    case 'finish':
      return k('q', 'quit');
    default:
      return [k('n', 'next'), k('h', 'hint'), k('l', 'list'), k('r', 're-run'), k('s', 'solution'), k('x', 'reset'), k('?', 'lesson'), k('q', 'quit')].join(' · ');
  }
}

function exerciseBody(s: WatchState, o: ScreenOptions): string[] {
  const st = o.style;
  const e = currentView(s);
  // Hints come right under the verdict's headline: asked for, they must not be cut off below.
  const hints: string[] = [];
  if (s.hintsShown > 0) {
    hints.push(st.bold('Hints'));
    e.hints.slice(0, s.hintsShown).forEach((h, i) => hints.push(`${i + 1}/${e.hints.length}. ${h.trim()}`));
    if (e.rust) hints.push(st.dim(`Rust: ${e.rust.trim()}`));
    hints.push('');
  }
  if (s.fileMissing) return [st.yellow(`${e.file} was deleted. Press x to restore the starting code.`), ...hints];
  if (!s.verdict) return [st.dim(`${o.spinner} Checking ${e.name}…`), ...hints];
  const [headline, ...details] = formatVerdict(s.verdict, st, {
    compact: true,
    lessonFor: (kind) => {
      const file = diagnosisLessonFile(o.diagnosisLessons, kind);
      return file && o.link(file);
    },
  });
  const body = [headline!, ...hints, ...details];
  if (s.typesPending && s.verdict.status === 'passed') body.push(st.dim(`${o.spinner} type-checking…`));
  // A pass still being type-checked asks for nothing yet: n waits for the type check.
  if (s.verdict.status === 'passed') {
    if (!s.typesPending) body.push('', st.green('Press n for the next exercise.'));
  } else if (s.verdict.status !== 'timeout') body.push('', st.dim(`Edit ${e.file} and save; the check runs again by itself.`));
  return body;
}

function listBody(s: WatchState, o: ScreenOptions, room: number): string[] {
  const st = o.style;
  const rows = listRows(s);
  const head = s.list.searching || s.list.search ? [`/${s.list.search}${s.list.searching ? '▏' : ''}`] : [];
  const space = Math.max(1, room - head.length);
  const start = Math.min(Math.max(0, s.list.cursor - Math.floor(space / 2)), Math.max(0, rows.length - space));
  const body = rows.slice(start, start + space).map((r, i) => {
    const idx = start + i;
    const mark = idx === s.list.cursor ? st.cyan('>') : ' ';
    const cur = r.name === s.current ? st.cyan('*') : ' ';
    const status = r.done ? st.green('done   ') : 'pending';
    return `${mark}${cur} ${status}  ${r.topic.padEnd(20).slice(0, 20)}  ${r.name}`;
  });
  if (rows.length === 0) body.push(st.dim('No exercise matches.'));
  return [...head, ...body];
}

/** The whole screen as lines, fitted to width × height; the key bar always stays on screen. */
export function screenLines(s: WatchState, o: ScreenOptions): string[] {
  const st = o.style;
  const e = currentView(s);
  const done = s.exercises.filter((x) => x.done).length;
  const inTopic = s.exercises.filter((x) => x.topic === e.topic);
  const index = s.exercises.findIndex((x) => x.name === e.name) + 1;
  const status = s.checking ? st.yellow(` ${o.spinner} checking`) : '';
  const header = [`${st.bold(e.name)} ${st.dim(`· ${e.topic} · ${index}/${s.exercises.length}`)}${status}`, o.link(e.file)];
  const footer = [
    st.dim('─'.repeat(Math.min(o.width, 80))),
    `course ${bar(done, s.exercises.length, 12, st)}   topic ${bar(inTopic.filter((x) => x.done).length, inTopic.length, 8, st)}`,
    keyBar(s, st),
  ];
  if (s.notice) footer.unshift(st.yellow(s.notice));
  const room = Math.max(1, o.height - header.length - footer.length - 1);
  let body: string[];
  switch (s.view) {
    case 'list':
      body = listBody(s, o, room);
      break;
    case 'confirm-reset':
      body = [`Reset ${st.bold(s.resetTarget ?? e.name)} to its starting code?`, 'Your current version is kept in .async-lessons/backups/ (`async-lessons undo-reset` brings it back).'];
      break;
    case 'lesson': {
      const lines = o.lesson ?? ['This topic has no lesson.'];
      const pages = Math.max(1, Math.ceil(lines.length / room));
      const page = Math.min(s.lessonPage, pages - 1);
      body = [...lines.slice(page * (room - 1), (page + 1) * (room - 1)), st.dim(`page ${page + 1}/${pages}`)];
      break;
    }
    case 'finish':
      body = [st.green('Every exercise passes. You have finished the course!'), '', ...(o.finalMessage?.trim().split('\n') ?? [])];
      break;
    default:
      body = exerciseBody(s, o);
  }
  body = wrap(body, o.width);
  if (body.length > room) body = [...body.slice(0, room - 1), st.dim(`… ${body.length - room + 1} more lines (run \`async-lessons run\` in another terminal for all of it)`)];
  return [...header, '', ...body, ...footer].map((l) => fit(l, o.width));
}
