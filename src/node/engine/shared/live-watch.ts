import { readFile } from 'node:fs/promises';
import { consoleTextLines, type LiveEvent } from './raw-report.js';

/** Past its timeout, how long a test may go without ending before its event loop counts as blocked. */
export const BLOCK_GRACE_MS = 1500;
/** The same for a module still loading: transforming it (and a cold worker boot) takes a while. */
export const LOAD_GRACE_MS = 3000;
/**
 * A running test's worker beats while its event loop turns (setup.ts). No beat for this long means
 * the loop is blocked, whatever the test's timeout: the learner hears so in ~2 s, not timeout + grace.
 */
export const SILENT_MS = 2000;

/** Console lines kept per test file: the verdict shows the last 200; a chatty loop must not fill memory. */
const CONSOLE_KEEP = 1000;
type ConsoleEvent = Extract<LiveEvent, { event: 'console' }>;

/** Where a run stalled: the file, the test (none while loading or in a hook between tests). */
export interface Stuck {
  file: string;
  test: string | undefined;
  /** True while the module was still loading (no test had started). */
  loading: boolean;
  forMs: number;
}

/** Reads the reporter's live event file as it grows, and answers "what is running right now?". */
export class LiveWatch {
  private readonly other: LiveEvent[] = [];
  private consoleEvents: ConsoleEvent[] = [];
  private readonly consoleLines = new Map<string, number>();
  offset: number;
  /** Per file: the step it is in, since when, when its loop last turned, and whether it ever beat. */
  private readonly running = new Map<string, { test: string | undefined; since: number; turnedAt: number; beating: boolean; loaded: boolean }>();
  private readonly ended = new Set<string>();

  constructor(
    private readonly file: string,
    from = 0,
  ) {
    this.offset = from;
  }

  /** Events that come from elsewhere (the warm host's in-process reporter). */
  push(e: LiveEvent, now = Date.now()): void {
    this.apply(e, now);
  }

  /** Everything seen so far; console output capped to the last lines of each file. */
  get events(): LiveEvent[] {
    return [...this.other, ...this.consoleEvents];
  }

  private keepConsole(e: ConsoleEvent): void {
    const key = e.file ?? '';
    const total = (this.consoleLines.get(key) ?? 0) + consoleTextLines(e.text).length;
    this.consoleEvents.push(e);
    this.consoleLines.set(key, total);
    if (total <= 2 * CONSOLE_KEEP) return;
    // Fold this file's output into one event of its last lines, counting what was dropped.
    const mine = this.consoleEvents.filter((c) => (c.file ?? '') === key);
    const lines = mine.flatMap((c) => consoleTextLines(c.text));
    const dropped = mine.reduce((n, c) => n + (c.dropped ?? 0), 0) + lines.length - CONSOLE_KEEP;
    const last = mine.at(-1)!;
    const folded: ConsoleEvent = { ...last, text: lines.slice(-CONSOLE_KEEP).join('\n'), dropped };
    this.consoleEvents = [...this.consoleEvents.filter((c) => (c.file ?? '') !== key), folded];
    this.consoleLines.set(key, CONSOLE_KEEP);
  }

  private apply(e: LiveEvent, now: number): void {
    if (e.event === 'console') return this.keepConsole(e);
    this.other.push(e);
    // Worker markers are read from a file and can arrive after the host saw the module end: a
    // late test-end must not bring an ended module back as "still running" (and later "stuck").
    if (e.event === 'module-end') this.ended.add(e.file);
    if ((e.event === 'test-start' || e.event === 'test-end') && this.ended.has(e.file)) return;
    // A module's clock restarts at every event in it: a test that ends proves the loop is free.
    const beating = this.running.get((e as { file?: string }).file ?? '')?.beating ?? false;
    if (e.event === 'module-start') this.running.set(e.file, { test: undefined, since: now, turnedAt: now, beating: false, loaded: false });
    // Once a test has started, the module has loaded: a later stall is in a test or a hook.
    if (e.event === 'test-start') this.running.set(e.file, { test: e.name, since: now, turnedAt: now, beating, loaded: true });
    if (e.event === 'test-end') this.running.set(e.file, { test: undefined, since: now, turnedAt: now, beating, loaded: true });
    // Expected synchronous work (the harness loading TypeScript): the running tests get `ms` more.
    if (e.event === 'busy') {
      for (const r of this.running.values()) if (r.beating) r.turnedAt = e.ms > 0 ? Math.max(r.turnedAt, now + e.ms) : now;
    }
    if (e.event === 'beat') {
      const r = this.running.get(e.file);
      // The host's clock, not the beat's own stamp: a test's fake timers may have frozen Date.
      if (r) {
        r.turnedAt = Math.max(r.turnedAt, now);
        r.beating = true;
      }
    }
    if (e.event === 'module-end') this.running.delete(e.file);
  }

  async poll(now = Date.now()): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return;
    }
    const end = text.lastIndexOf('\n') + 1;
    const fresh = text.slice(this.offset, end);
    this.offset = end;
    for (const line of fresh.split('\n')) {
      if (line.length === 0) continue;
      let e: LiveEvent;
      try {
        e = JSON.parse(line) as LiveEvent;
      } catch {
        continue;
      }
      this.apply(e, now);
    }
  }

  /**
   * The first file whose current step has run too long: a test past its timeout plus `grace`
   * (vitest's own timeout would have fired had the loop been free), or a module still loading
   * past its timeout plus `loadGrace` (loading includes transforming and, cold, a worker boot).
   * With `silentMs`, a file whose worker has beaten (its setup ran) and then fell silent for that
   * long is stuck at once, in a test or while its module loads: before the first beat the worker
   * may still be booting, so only the load grace applies.
   */
  stuck(timeoutFor: (file: string) => number, grace: number, loadGrace: number, now = Date.now(), silentMs?: number): Stuck | undefined {
    for (const [file, r] of this.running) {
      const where = { file, test: r.test, loading: !r.loaded };
      if (silentMs !== undefined && r.beating && now - r.turnedAt > silentMs) return { ...where, forMs: now - r.turnedAt };
      const limit = timeoutFor(file) + (r.test === undefined ? loadGrace : grace);
      if (now - r.since > limit) return { ...where, forMs: now - r.since };
    }
    return undefined;
  }

}
