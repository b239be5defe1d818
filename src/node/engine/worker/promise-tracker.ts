import { createHook } from 'node:async_hooks';
import { fileURLToPath } from 'node:url';

/*
 * Which promise is the test still waiting on? Only for a diagnostic re-run of a check whose test
 * never settled (the engine asks for it through the timeouts table): every promise created while
 * a test runs is noted with the first place in the learner's own files on its creation stack, and
 * crossed off when it resolves or rejects. What is left when the test times out is what nothing
 * ever settled; the last one created in the learner's code is, nearly always, the `await` that is
 * stuck (an async function's own promise comes first, the promise it awaits after).
 *
 * Creation stacks are read from `new Error().stack`, which vitest's module runner maps back to
 * the learner's TypeScript lines. Capturing a stack per promise is slow, which is why this never
 * runs in an ordinary check.
 */

export interface Site {
  file: string;
  line: number;
  column: number;
}

const FRAME_RE = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/;

export interface PromiseTracker {
  /** Forget what earlier tests left pending. */
  testStarted(): void;
  /** Learner sites of the promises still pending from the current test, oldest first, one per line. */
  stillPending(): { sites: Site[]; count: number };
  stop(): void;
}

export function trackPromises(isLearnerFile: (file: string) => boolean): PromiseTracker {
  let seq = 0;
  let from = 0;
  let inside = false;
  const pending = new Map<number, { seq: number; site: Site }>();
  const siteNow = (): Site | undefined => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    for (const raw of stack.split('\n').slice(1)) {
      const m = FRAME_RE.exec(raw.trim());
      if (!m) continue;
      const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
      if (isLearnerFile(file)) return { file, line: Number(m[2]), column: Number(m[3]) };
    }
    return undefined;
  };
  const hook = createHook({
    init(id, type) {
      // Mapping a stack can itself make promises somewhere: never track our own.
      if (type !== 'PROMISE' || inside) return;
      inside = true;
      try {
        const site = siteNow();
        if (site) pending.set(id, { seq: ++seq, site });
      } finally {
        inside = false;
      }
    },
    promiseResolve(id) {
      pending.delete(id);
    },
  });
  hook.enable();
  return {
    testStarted() {
      from = seq;
      pending.clear();
    },
    stillPending() {
      const mine = [...pending.values()].filter((p) => p.seq > from).sort((a, b) => a.seq - b.seq);
      const byLine = new Map<string, Site>();
      for (const p of mine) {
        const key = `${p.site.file}:${p.site.line}`;
        byLine.delete(key);
        byLine.set(key, p.site);
      }
      return { sites: [...byLine.values()].slice(-3), count: mine.length };
    },
    stop() {
      hook.disable();
    },
  };
}
