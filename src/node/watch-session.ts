import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { createTwoFilesPatch } from 'diff';
import { entryOf, nextPending } from '../core/progress.js';
import { currentView, initialWatchState, passedNow, watchReducer, type WatchEvent, type WatchState } from '../core/watch-state.js';
import type { Verdict } from '../core/verdict.js';
import type { CheckRunner } from './engine/index.js';
import { exists } from './fs-utils.js';
import { resetExercise, revealSolution } from './workspace-ops.js';
import { watchExercises } from './watcher.js';
import { applyProgress, keepGoing, learnerTarget, type Learner } from './learner.js';
import type { ProgressAction } from '../core/progress.js';
import { currentExercise } from '../core/progress.js';

/**
 * Watch mode's one owner of state: file events and keys come in, checks go out to the engine,
 * verdicts and progress come back, and the pure reducer decides what the screen shows.
 * Data flows one way: file event → check run → verdict → state → screen.
 */
export class WatchSession {
  state: WatchState;
  private readonly listeners = new Set<() => void>();
  private watcher: FSWatcher | undefined;
  private closed = false;
  private nextWanted = false;
  /** Bumped by every recheck; a call whose number is no longer the newest records nothing. */
  private runs = 0;

  constructor(
    readonly learner: Learner,
    private readonly runner: CheckRunner,
    private readonly options: { poll?: boolean; manualRun?: boolean } = {},
  ) {
    const l = learner;
    const current = currentExercise(l.progress, l.order)!;
    this.state = initialWatchState(
      l.loaded.course.exercises.map((e) => ({
        name: e.name,
        topic: e.dir,
        file: `exercises/${e.mainFile}`,
        hints: e.hints,
        rust: e.rust,
        done: entryOf(l.progress, e.name).status === 'done',
      })),
      current,
      entryOf(l.progress, current).hintsSeen,
    );
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): WatchState => this.state;

  dispatch(e: WatchEvent): void {
    this.state = watchReducer(this.state, e);
    for (const fn of this.listeners) fn();
  }

  private exercise(name = this.state.current) {
    return this.learner.loaded.course.exercises.find((e) => e.name === name)!;
  }

  start(): void {
    if (!this.options.manualRun) {
      this.watcher = watchExercises(
        this.learner.ws.exercisesDir,
        (e) => {
          if (e.type === 'error') return this.dispatch({ type: 'notice', text: `Watching files failed: ${e.message}. Press r to check by hand, or restart with --poll.` });
          const mine = this.exercise().learnerFiles.map((f) => path.join(this.learner.ws.exercisesDir, f));
          if (!mine.includes(e.file)) return;
          if (e.type === 'deleted') return this.dispatch({ type: 'file-missing', missing: true });
          void this.recheck();
        },
        { poll: this.options.poll ?? false },
      );
    }
    void this.recheck();
    void this.showLessonIfNew();
  }

  /** Entering a topic for the first time opens its lesson (the course's welcome comes with the first). */
  /**
   * Records progress. A workspace that refuses the write (read-only, owned by another user) does
   * not stop watch mode: checks go on, and the screen says that nothing is being saved and why.
   */
  private async save(...actions: ProgressAction[]): Promise<void> {
    await applyProgress(this.learner, ...actions);
    this.warnUnsaved();
  }

  private warnUnsaved(): void {
    const why = this.learner.unsaved;
    if (why) this.dispatch({ type: 'notice', text: `Progress is not being saved: ${why.message} ${why.next ?? ''}`.trim() });
  }

  /**
   * The lesson goes on screen first and is recorded as seen after: a key pressed while progress
   * is being written must find the lesson already there, not the screen under it.
   */
  private async showLessonIfNew(): Promise<void> {
    const topic = this.exercise().dir;
    if (this.learner.progress.seenTopics.includes(topic) || this.lessonShown.has(topic)) return;
    this.lessonShown.add(topic);
    const first = this.learner.progress.seenTopics.length === 0;
    let lines = await this.lessonLines();
    if (first && this.learner.loaded.course.welcomeMessage) lines = [...this.learner.loaded.course.welcomeMessage.trim().split('\n'), '', ...lines];
    this.dispatch({ type: 'show-pager', kind: 'lesson', lines });
    await this.save({ type: 'topic-seen', topic });
  }

  private readonly lessonShown = new Set<string>();

  /**
   * The opening view, before the screen is first drawn: the lesson of a topic not seen yet. With
   * it decided first, no key pressed in the first moments lands on a screen about to be covered.
   */
  async prepare(): Promise<void> {
    await this.showLessonIfNew();
  }

  /** `?`: the current topic's lesson. */
  async showLesson(): Promise<void> {
    this.dispatch({ type: 'show-pager', kind: 'lesson', lines: await this.lessonLines() });
  }

  /** Checks the current exercise; a newer call supersedes an older one inside the engine. */
  async recheck(force = false): Promise<void> {
    const exercise = this.exercise();
    const run = ++this.runs;
    if (!(await exists(path.join(this.learner.ws.exercisesDir, exercise.mainFile)))) {
      this.dispatch({ type: 'file-missing', missing: true });
      return;
    }
    this.dispatch({ type: 'check-started' });
    let verdict: Verdict;
    try {
      verdict = await this.runner.check(learnerTarget(this.learner, exercise), {
        force,
        onRuntime: (v) => {
          if (this.state.current === exercise.name) this.dispatch({ type: 'runtime-verdict', verdict: v });
        },
      });
    } catch (error) {
      if (this.closed || run !== this.runs) return;
      this.dispatch({ type: 'notice', text: String((error as Error).message) });
      this.dispatch({ type: 'verdict', verdict: { exercise: exercise.name, status: 'failed', code: 'runner-error', reason: String((error as Error).message), durationMs: 0, tests: [], console: [], warnings: [] } });
      return;
    }
    // Saves during a run make several calls that all resolve with the newest verdict: only the
    // newest call records it, so one run is one attempt and its solution is revealed once.
    if (this.closed || run !== this.runs || this.state.current !== exercise.name) return;
    this.dispatch({ type: 'verdict', verdict });
    const passed = verdict.status === 'passed';
    const before = entryOf(this.learner.progress, exercise.name);
    // A pass counts at once (the reducer has marked it done on screen); n only moves on.
    await this.save({ type: 'checked', name: exercise.name, passed, at: new Date().toISOString() }, ...(passed ? [{ type: 'mark-done' as const, name: exercise.name }] : []));
    if (passed && before.status !== 'done') await keepGoing(this.learner, async () => void (await revealSolution(this.learner.ws, this.learner.loaded, exercise)));
    this.warnUnsaved();
    const wanted = this.nextWanted;
    this.nextWanted = false;
    if (wanted) {
      this.dispatch({ type: 'notice', text: undefined });
      if (passed) await this.next();
    }
  }

  /** `n`: after a pass (already counted as done), the next pending exercise. */
  async next(): Promise<void> {
    // Pressed while the type check of a passing run is still going: go on once it has passed too.
    if (this.state.checking && this.state.typesPending && this.state.verdict?.status === 'passed') {
      this.nextWanted = true;
      this.dispatch({ type: 'notice', text: 'Moving on once the type check passes too…' });
      return;
    }
    if (!passedNow(this.state)) {
      this.dispatch({ type: 'next' });
      return;
    }
    const name = this.state.current;
    const next = nextPending(this.learner.progress, this.learner.order, name);
    if (next === undefined) {
      await this.finish();
      return;
    }
    await this.select(next);
  }

  async select(name: string): Promise<void> {
    await this.save({ type: 'select', name });
    this.dispatch({ type: 'select', name });
    this.dispatch({ type: 'hints-seen', count: entryOf(this.learner.progress, name).hintsSeen });
    void this.showLessonIfNew();
    await this.recheck();
  }

  async hint(): Promise<void> {
    const before = this.state.hintsShown;
    this.dispatch({ type: 'hint' });
    if (this.state.hintsShown > before) {
      await this.save({ type: 'hint-shown', name: this.state.current, count: currentView(this.state).hints.length });
    }
  }

  async reset(name: string): Promise<void> {
    const saved = await resetExercise(this.learner.ws, this.learner.loaded, this.exercise(name));
    this.dispatch({ type: 'close' });
    this.dispatch({ type: 'notice', text: `Reset ${name}; your version is in ${path.relative(this.learner.ws.root, saved)}.` });
    if (name === this.state.current) await this.recheck(true);
  }

  /** `s`: after a pass, the reference solution as a diff against the learner's file, paged. */
  async showSolution(): Promise<void> {
    const e = this.exercise();
    if (entryOf(this.learner.progress, e.name).firstPassAt === null) {
      this.dispatch({ type: 'notice', text: 'The solution opens once your version passes.' });
      return;
    }
    const shown = await revealSolution(this.learner.ws, this.learner.loaded, e);
    const lines: string[] = [`Reference solution: ${shown.join(', ')} (yours: - lines, the reference: + lines)`, ''];
    for (const rel of e.learnerFiles) {
      const mine = await readFile(path.join(this.learner.ws.exercisesDir, rel), 'utf8').catch(() => '');
      const theirs = await readFile(path.join(this.learner.loaded.root, 'solutions', rel), 'utf8').catch(() => '');
      if (mine === theirs) lines.push(`${rel}: identical to yours.`);
      else lines.push(...createTwoFilesPatch(`exercises/${rel}`, `solutions/${rel}`, mine, theirs, undefined, undefined, { context: 2 }).split('\n').slice(2));
    }
    this.dispatch({ type: 'show-pager', kind: 'solution', lines });
  }

  async lessonLines(): Promise<string[]> {
    const readme = path.join(this.learner.ws.exercisesDir, this.exercise().dir, 'README.md');
    return (await readFile(readme, 'utf8').catch(() => 'This topic has no lesson.')).trimEnd().split('\n');
  }

  /** All done: check every exercise once more before saying so. */
  private async finish(): Promise<void> {
    this.dispatch({ type: 'notice', text: 'Every exercise is done: checking them all once more…' });
    this.dispatch({ type: 'check-started' });
    const verdicts = await this.runner.checkMany(this.learner.loaded.course.exercises.map((e) => learnerTarget(this.learner, e)));
    const failing = verdicts.filter((v) => v.status !== 'passed');
    if (failing.length > 0) {
      this.dispatch({ type: 'notice', text: `${failing.map((v) => v.exercise).join(', ')} no longer pass${failing.length === 1 ? 'es' : ''}: fix ${failing.length === 1 ? 'it' : 'them'} to finish.` });
      await this.select(failing[0]!.exercise);
      return;
    }
    this.dispatch({ type: 'finish', verdict: verdicts.at(-1)! });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.watcher?.close();
    await this.runner.close();
  }
}
