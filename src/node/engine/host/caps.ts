import type { LiveEvent, RawReport } from '../shared/raw-report.js';

// The host's caps (grading's memory and output limits, in every mode): what a hostile submission's
// console flood may cost the host, and how a worker that died of its heap cap is told apart.

// Per file and run, this many console messages (and bytes of them) are kept; the rest are counted.
// The live watch then keeps the last lines of those (live-watch.ts): this cap is for floods only.
const CONSOLE_MESSAGES = 10_000;
const CONSOLE_BYTES = 1024 * 1024;

export class ConsoleCap {
  private readonly files = new Map<string | undefined, { messages: number; bytes: number; dropped: number }>();
  /** The text to keep of a message (cut at the byte cap), or undefined past the cap. */
  keep(file: string | undefined, text: string): string | undefined {
    let f = this.files.get(file);
    if (!f) this.files.set(file, (f = { messages: 0, bytes: 0, dropped: 0 }));
    if (f.messages >= CONSOLE_MESSAGES || f.bytes >= CONSOLE_BYTES) {
      f.dropped += 1;
      return undefined;
    }
    f.messages += 1;
    const room = CONSOLE_BYTES - f.bytes;
    f.bytes += Math.min(room, text.length);
    return text.length <= room ? text : `${text.slice(0, room)}…\n`;
  }
  /** One closing line per file that lost messages; the counts start again with the next run. */
  notes(): LiveEvent[] {
    const out: LiveEvent[] = [];
    for (const [file, f] of this.files) {
      if (f.dropped === 0) continue;
      const text = `… ${f.dropped} more console message${f.dropped === 1 ? '' : 's'} dropped (kept per file: ${CONSOLE_MESSAGES} messages, ${CONSOLE_BYTES / 1024 / 1024} MB)\n`;
      out.push({ event: 'console', file, stream: 'stderr', text, at: Date.now() });
    }
    this.files.clear();
    return out;
  }
}

// V8's last words when a worker reaches its heap cap (--max-old-space-size) and aborts.
export const OOM_RE = /Reached heap limit|JavaScript heap out of memory|Allocation failed - process out of memory/;
const oomNote = (heapMb: number) => `ran out of memory (cap ${heapMb} MB)`;

// As to-verdict.ts tells a dead worker from other unhandled errors.
const WORKER_DIED_RE = /Worker .* (emitted error|exited unexpectedly)|\[vitest-pool\]/;

/**
 * A run in which a worker died of its heap cap: its death says so (grading reads "ran out of
 * memory (cap N MB)" from it), and is the file's that was loading or running then, if only one was.
 */
export function markOutOfMemory(report: RawReport, events: readonly LiveEvent[], heapMb: number): void {
  const started = [...new Set(events.flatMap((e) => (e.event === 'module-start' ? [e.file] : [])))];
  const open = started.filter((f) => !events.some((e) => e.event === 'module-end' && e.file === f));
  for (const u of report.unhandled) {
    if (!WORKER_DIED_RE.test(u.message)) continue;
    u.message = `${u.message}: ${oomNote(heapMb)}`;
    if (u.testPath === undefined && open.length === 1) u.testPath = open[0];
  }
}
