import { Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { listRows } from '../core/watch-state.js';
import type { WatchSession } from '../node/watch-session.js';
import { screenLines } from './screen.js';
import type { Course } from '../core/course-schema.js';
import type { Style } from './style.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface WatchAppProps {
  session: WatchSession;
  style: Style;
  link: (file: string) => string;
  finalMessage: string | undefined;
  diagnosisLessons?: Course['diagnosisLessons'];
  /** Opens a file in the learner's editor; returns a line to show (or undefined if it opened). */
  open: (file: string) => Promise<string | undefined>;
}

/** The watch screen: props in, keys out. All state lives in the session; this only draws it. */
export function WatchApp({ session, style, link, finalMessage, diagnosisLessons, open }: WatchAppProps) {
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const [frame, setFrame] = useState(0);

  useEffect(() => {
    const onResize = () => setSize({ width: stdout.columns || 80, height: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  useEffect(() => {
    if (!state.checking && !state.typesPending) return;
    const timer = setInterval(() => setFrame((f) => (f + 1) % SPINNER.length), 80);
    return () => clearInterval(timer);
  }, [state.checking, state.typesPending]);

  // Fast typing or a paste arrives as one chunk ("infinite\r"): take it a key at a time.
  const onKey = (input: string, key: Key): void => {
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of input) onKey(ch === '\r' || ch === '\n' ? '' : ch, { ...key, return: ch === '\r' || ch === '\n' });
      return;
    }
    const s = session.state;
    if (s.view === 'list' && s.list.searching) {
      if (key.return || key.escape) session.dispatch({ type: 'close' });
      else if (key.backspace || key.delete) session.dispatch({ type: 'list-search', text: s.list.search.slice(0, -1) });
      else if (input && !key.ctrl && !key.meta) session.dispatch({ type: 'list-search', text: s.list.search + input });
      return;
    }
    if (s.view === 'confirm-reset') {
      if (input === 'y') void session.reset(s.resetTarget ?? s.current);
      else if (input === 'n' || key.escape) session.dispatch({ type: 'close' });
      return;
    }
    if (input === 'q') {
      exit();
      return;
    }
    if (s.view === 'list') {
      const rows = listRows(s);
      if (key.upArrow || input === 'k') session.dispatch({ type: 'list-move', by: -1 });
      else if (key.downArrow || input === 'j') session.dispatch({ type: 'list-move', by: 1 });
      else if (key.pageUp) session.dispatch({ type: 'list-move', by: -10 });
      else if (key.pageDown) session.dispatch({ type: 'list-move', by: 10 });
      else if (input === 'g' || key.home) session.dispatch({ type: 'list-move', by: 'home' });
      else if (input === 'G' || key.end) session.dispatch({ type: 'list-move', by: 'end' });
      else if (input === 'f') session.dispatch({ type: 'list-filter' });
      else if (input === '/') session.dispatch({ type: 'list-search', text: undefined });
      else if (input === 'x' && rows[s.list.cursor]) session.dispatch({ type: 'ask-reset', name: rows[s.list.cursor]!.name });
      else if (key.return && rows[s.list.cursor]) void session.select(rows[s.list.cursor]!.name);
      else if (key.escape || input === 'l') session.dispatch({ type: 'close' });
      return;
    }
    if (s.view === 'lesson') {
      if (input === ' ' || key.pageDown || key.downArrow) session.dispatch({ type: 'lesson', page: s.lessonPage + 1 });
      else if (input === 'b' || key.pageUp || key.upArrow) session.dispatch({ type: 'lesson', page: s.lessonPage - 1 });
      else session.dispatch({ type: 'close' });
      return;
    }
    if (s.view === 'finish') return;
    if (input === 'n') void session.next();
    else if (input === 'h') void session.hint();
    else if (input === 'l') session.dispatch({ type: 'open-list' });
    else if (input === 'r') void session.recheck(true);
    else if (input === 'x') session.dispatch({ type: 'ask-reset', name: s.current });
    else if (input === 's') void session.showSolution();
    else if (input === 'o') void open(s.exercises.find((e) => e.name === s.current)!.file).then((line) => line && session.dispatch({ type: 'notice', text: line }));
    else if (input === '?') {
      void session.lessonLines().then((lines) => {
        session.lesson = lines;
        session.dispatch({ type: 'lesson', page: 0 });
      });
    }
  };
  useInput(onKey);

  const lines = screenLines(state, { width: size.width, height: size.height - 1, style, spinner: SPINNER[frame]!, link, lesson: session.lesson, finalMessage, diagnosisLessons });
  return <Text>{lines.join('\n')}</Text>;
}
