import { appendFileSync } from 'node:fs';

/**
 * Tells the runner's watchdog that about `ms` of synchronous work starts now and is expected (the
 * harness calls it around loading TypeScript), so it is not taken for a learner's blocked event
 * loop; `expectBusy(0)` when it is over. The watchdog otherwise calls a test blocked once its event
 * loop has not turned for 2 s. Outside async-lessons' runner it does nothing.
 */
export function expectBusy(ms: number): void {
  const live = process.env.ASYNC_LESSONS_LIVE;
  if (live === undefined) return;
  try {
    appendFileSync(live, `${JSON.stringify({ event: 'busy', ms, at: Date.now() })}\n`);
  } catch {
    // Without it the watchdog may stop a slow check early; the check itself is unaffected.
  }
}
