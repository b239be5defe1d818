import { Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Course } from '../core/course-schema.js';
import type { WatchSession } from '../node/watch-session.js';
import { handleKey, type KeyActions } from './keys.js';
import { layout } from './screen.js';
import type { Style } from './style.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface WatchAppProps {
  session: WatchSession;
  style: Style;
  link: (file: string, text?: string) => string;
  hyperlink?: (url: string, text: string) => string | undefined;
  command?: string;
  finalMessage: string | undefined;
  diagnosisLessons?: Course['diagnosisLessons'];
  /** Opens a file in the learner's editor; returns a line to show (or undefined if it opened). */
  open: (file: string) => Promise<string | undefined>;
}

/** The watch screen: props in, keys out. All state lives in the session; this only draws it. */
export function WatchApp({ session, style, link, hyperlink, command, finalMessage, diagnosisLessons, open }: WatchAppProps) {
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

  // A frame as tall as the terminal makes Ink clear and redraw it whole on every change (flicker).
  const options = { width: size.width, height: size.height - 1, style, spinner: SPINNER[frame]!, link, ...(hyperlink ? { hyperlink } : {}), ...(command ? { command } : {}), finalMessage, diagnosisLessons };
  const drawn = layout(state, options);

  const act: KeyActions = {
    dispatch: (e) => session.dispatch(e),
    next: () => void session.next(),
    hint: () => void session.hint(),
    recheck: () => void session.recheck(true),
    reset: (name) => void session.reset(name),
    solution: () => void session.showSolution(),
    lesson: () => void session.showLesson(),
    select: (name) => void session.select(name),
    open: (file) => void open(file).then((line) => session.dispatch({ type: 'notice', text: line ?? `Opened ${file} in your editor.` })),
    quit: () => exit(),
  };

  // Fast typing or a paste arrives as one chunk ("infinite\r"): take it a key at a time.
  const onKey = (input: string, key: Key): void => {
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of input) onKey(ch === '\r' || ch === '\n' ? '' : ch, { ...key, return: ch === '\r' || ch === '\n' });
      return;
    }
    // Each key of a chunk sees the state the one before it left, measured as it would be drawn.
    const now = session.state;
    handleKey({ state: now, scroll: layout(now, options).scroll, act }, input, key);
  };
  useInput(onKey);

  return <Text>{drawn.lines.join('\n')}</Text>;
}
