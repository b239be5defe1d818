import { readFile } from 'node:fs/promises';
import type { LiveEvent } from './raw-report.js';

/** Reads the reporter's live event file as it grows, and answers "what is running right now?". */
export class LiveWatch {
  readonly events: LiveEvent[] = [];
  private offset = 0;
  private readonly running = new Map<string, { test: string | undefined; since: number }>();

  constructor(private readonly file: string) {}

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
      this.events.push(e);
      // A module's clock restarts at every event in it: a test that ends proves the loop is free.
      if (e.event === 'module-start') this.running.set(e.file, { test: undefined, since: now });
      if (e.event === 'test-start') this.running.set(e.file, { test: e.name, since: now });
      if (e.event === 'test-end') this.running.set(e.file, { test: undefined, since: now });
      if (e.event === 'module-end') this.running.delete(e.file);
    }
  }

  /** Files whose current step (loading, or one test) has run longer than `limitMs`. */
  stuck(limitMs: number, now = Date.now()): Array<{ file: string; test: string | undefined; forMs: number }> {
    return [...this.running.entries()]
      .filter(([, r]) => now - r.since > limitMs)
      .map(([file, r]) => ({ file, test: r.test, forMs: now - r.since }));
  }

  finish(file: string): void {
    this.running.delete(file);
  }

  started(file: string): boolean {
    return this.events.some((e) => e.event === 'module-start' && e.file === file);
  }
}
