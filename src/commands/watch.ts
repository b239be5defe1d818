import path from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { diagnosisLessonFile } from '../core/course-schema.js';
import { hasEditorLinks, linkEditorTypes } from '../node/editor-types.js';
import { EngineRunner } from '../node/engine/index.js';
import { commandName } from '../node/invocation.js';
import { WatchSession } from '../node/watch-session.js';
import { unreliableEvents } from '../node/watcher.js';
import { formatVerdict } from '../ui/format-verdict.js';
import { renderMarkdown } from '../ui/markdown.js';
import { renderTimeline } from '../ui/timeline.js';
import { KEYS, keyHelp, plainCommands, type KeyActions } from '../ui/keys.js';
import { loadInkUi } from '../ui/load-ink.js';
import { openLearner, type Ctx } from './context.js';

export interface WatchOptions {
  plain: boolean;
  poll: boolean;
  manualRun: boolean;
  editCmd: string | undefined;
  /** A line for the first screen (e.g. which workspace was opened), kept until the next notice. */
  notice?: string;
}

/** A clickable path (OSC 8) where terminals support it; VS Code's terminal gets the plain path. */
function linker(root: string, env: Record<string, string | undefined>) {
  if (!clickable(env)) return (file: string, text = file) => text;
  return (file: string, text = file) => osc8(`file://${path.join(root, file)}`, text);
}

const clickable = (env: Record<string, string | undefined>) => env.TERM_PROGRAM !== 'vscode' && env.TERM !== 'dumb';
const osc8 = (url: string, text: string) => `\u001b]8;;${url}\u0007${text}\u001b]8;;\u0007`;

/** Web links in lessons: clickable where file links are; elsewhere the lesson prints the address. */
function hyperlinker(env: Record<string, string | undefined>) {
  return (url: string, text: string) => (clickable(env) && /^https?:\/\//.test(url) ? osc8(url, text) : undefined);
}

// Editors that take over the terminal would fight the screen for it; only windowed ones are opened.
const GUI_EDITORS = /(^|\/)(code|codium|cursor|subl|sublime_text|gedit|kate|mate|zed|idea|webstorm|gvim|mvim|open)( |$)/;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `o`: the editor command is run by the shell with the file's path appended, quoted, so
 * `--edit-cmd "code -g"` or `--edit-cmd 'touch opened; echo'` mean what they would at a prompt
 * (split on spaces, `;` and `echo` became file names).
 */
function opener(root: string, env: Record<string, string | undefined>, editCmd: string | undefined) {
  return async (file: string): Promise<string | undefined> => {
    const abs = path.join(root, file);
    const cmd = editCmd ?? (env.TERM_PROGRAM === 'vscode' ? 'code' : env.VISUAL && GUI_EDITORS.test(env.VISUAL) ? env.VISUAL : undefined);
    if (!cmd) return `Open ${file} in your editor (set --edit-cmd, or a windowed $VISUAL, for o to open it).`;
    try {
      const child = execa(`${cmd} ${shellQuote(abs)}`, { shell: true, detached: true, stdio: 'ignore', reject: false });
      child.unref();
      // A command the shell cannot find ends at once with 127; a windowed editor keeps running
      // or hands over to its server and exits 0. A short wait tells the two apart.
      const early = await Promise.race([child, new Promise<undefined>((r) => setTimeout(r, 400, undefined))]);
      if (early && early.exitCode === 127) return `Could not start "${cmd}" (the shell found no such command); open ${file} yourself.`;
      return undefined;
    } catch {
      return `Could not start "${cmd}"; open ${file} yourself.`;
    }
  };
}

/**
 * Ink reads the keyboard itself and ends on Ctrl-C as on q. Listening to 'data' beside its
 * 'readable' listener sees every chunk it reads without taking any from it, so a Ctrl-C can end
 * the process with 130, as it does in `run` and `verify`. Attached once Ink listens: before
 * that, a 'data' listener would switch stdin to flowing and take keys typed early from Ink.
 */
function watchCtrlC(stdin: NodeJS.ReadStream): { pressed: () => boolean; stop: () => void } {
  let pressed = false;
  const onData = (chunk: Buffer | string) => {
    if (String(chunk).includes('\u0003')) pressed = true;
  };
  const timer = setInterval(() => {
    if (stdin.listenerCount('readable') === 0) return;
    clearInterval(timer);
    stdin.on('data', onData);
  }, 20);
  timer.unref();
  return {
    pressed: () => pressed,
    stop: () => {
      clearInterval(timer);
      stdin.off('data', onData);
      // With Ink's listener gone, ours alone would have set stdin flowing, which holds the process open.
      if (stdin.readableFlowing) stdin.pause();
    },
  };
}

/** Without a TTY (or with --plain): the same flow as appended lines; commands are typed lines. */
async function plainWatch(ctx: Ctx, session: WatchSession): Promise<void> {
  let shown: unknown;
  let current = '';
  session.subscribe(() => {
    const s = session.state;
    if (s.current !== current) {
      current = s.current;
      const e = s.exercises.find((x) => x.name === current)!;
      ctx.print(ctx.style.bold(`== ${e.name} (${e.topic}) — ${e.file}`));
    }
    if (s.view === 'pager' && s.pager) {
      // Plain mode has no pages: a lesson is printed once, whole, when a topic begins (rendered
      // from Markdown at the terminal's width, or 80 columns in a pipe).
      const cols = process.stdout.columns || 80;
      const lines =
        s.pager.kind === 'lesson' ? renderMarkdown(s.pager.lines.join('\n'), cols, { style: ctx.style }) : s.pager.kind === 'timeline' && s.verdict?.timeline ? renderTimeline(s.verdict.timeline, cols, ctx.style) : s.pager.lines;
      for (const line of lines) ctx.print(line);
      session.dispatch({ type: 'close' });
      return;
    }
    if (s.notice) ctx.print(ctx.style.yellow(s.notice));
    if (s.verdict !== shown && s.verdict && !s.checking) {
      shown = s.verdict;
      for (const line of formatVerdict(s.verdict, ctx.style, { lessonFor: (kind) => diagnosisLessonFile(session.learner.loaded.course.diagnosisLessons, kind) })) ctx.print(line);
      if (s.verdict.timeline) for (const line of ['', ...renderTimeline(s.verdict.timeline, process.stdout.columns || 80, ctx.style)]) ctx.print(line);
      const also = `(type a letter + enter: ${plainCommands(s)})`;
      ctx.print(ctx.style.dim(s.verdict.status === 'passed' ? `The next exercise: n. ${also}` : `Save the file to check again. ${also}`));
    }
  });
  session.start();
  await new Promise<void>((resolve) => {
    const rl = createInterface({ input: process.stdin });
    // Printed hints cannot be hidden: h prints the next one, and after the last all of them again.
    const plainHint = () => {
      const s = session.state;
      const e = s.exercises.find((x) => x.name === s.current)!;
      if (e.hints.length > 0 && s.hintsShown >= e.hints.length) {
        e.hints.forEach((h, i) => ctx.print(`Hint ${i + 1}/${e.hints.length}: ${h.trim()}`));
        return;
      }
      // The hint is in the state as soon as hint() is called (only saving it waits), so lines
      // typed in a burst print in the order they were typed.
      void session.hint();
      const now = session.state.hintsShown;
      if (now > s.hintsShown) ctx.print(`Hint ${now}/${e.hints.length}: ${e.hints[now - 1]!.trim()}`);
    };
    const ignore = () => {};
    // The same key table as the TUI: its plain entries are the commands typed here.
    const act: KeyActions = {
      dispatch: (e) => session.dispatch(e),
      next: () => void session.next(),
      hint: plainHint,
      recheck: () => void session.recheck(true),
      quit: () => {
        rl.close();
        // A pipe that stays open (a script, an editor's task runner) would keep the process alive.
        process.stdin.destroy();
        resolve();
      },
      reset: ignore,
      solution: ignore,
      lesson: ignore,
      select: ignore,
      open: ignore,
    };
    rl.on('line', (line) => {
      const cmd = line.trim();
      const binding = KEYS.exercise.bindings.find((b) => b.plain && b.key === cmd);
      if (binding) binding.run({ state: session.state, scroll: undefined, act }, binding.key, {});
      else if (cmd !== '') for (const help of ['Commands (type the letter, then enter):', ...keyHelp('exercise', { plain: true })]) ctx.print(help);
    });
    // No input at all (stdin is /dev/null): keep watching until a signal ends the process.
  });
}

export async function watchMode(ctx: Ctx, options: WatchOptions): Promise<number> {
  const learner = await openLearner(ctx);
  const engine = new EngineRunner();
  engine.start();
  // Links to the editor's types go stale when npm clears its npx cache or an upgrade moves us.
  if (await hasEditorLinks(learner.ws.root)) void linkEditorTypes(learner.ws.root).catch(() => {});
  const flaky = unreliableEvents(learner.ws.root, ctx.env);
  const poll = options.poll || flaky !== undefined;
  const session = new WatchSession(learner, engine, { poll, manualRun: options.manualRun });
  let ctrlC: ReturnType<typeof watchCtrlC> | undefined;
  if (flaky && !options.poll) session.dispatch({ type: 'notice', text: `File events are unreliable here (${flaky}); watching by polling instead.` });
  try {
    if (options.plain || !process.stdout.isTTY || !process.stdin.isTTY) {
      if (options.notice) ctx.print(options.notice);
      await plainWatch(ctx, session);
    } else {
      // A line printed now would scroll away under the screen: the screen shows it instead.
      if (options.notice) session.dispatch({ type: 'notice', text: options.notice, keep: true });
      const { renderWatch } = await loadInkUi();
      ctrlC = watchCtrlC(process.stdin);
      await renderWatch({
        session,
        style: ctx.style,
        link: linker(learner.ws.root, ctx.env),
        hyperlink: hyperlinker(ctx.env),
        command: commandName(ctx.env),
        finalMessage: learner.loaded.course.finalMessage,
        diagnosisLessons: learner.loaded.course.diagnosisLessons,
        open: opener(learner.ws.root, ctx.env, options.editCmd),
      });
    }
  } finally {
    ctrlC?.stop();
    await session.close();
  }
  // The last frame stays on screen; this says how to come back to it.
  ctx.print(ctx.style.dim(`Progress saved. Run ${commandName(ctx.env)} again to continue.`));
  return ctrlC?.pressed() ? 130 : 0;
}
