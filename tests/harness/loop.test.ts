import { setImmediate } from 'node:timers';
import { describe, expect, test } from 'vitest';
import { measureBlocking } from '../../src/harness/index.js';

/** Busy-waits for `ms` of real time. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

// Real timers on a machine that may be busy: the limits are deliberately loose (CURRICULUM §0.3).
describe('measureBlocking', () => {
  test('sees a 250 ms busy loop as blocking for at least 200 ms', async () => {
    const r = await measureBlocking(() => busy(250));
    expect(r.maxGapMs).toBeGreaterThanOrEqual(200);
    expect(r.eldMaxMs).toBeGreaterThanOrEqual(200);
  });

  test('sees 10 ms chunks split by setImmediate as short gaps, and passes the value on', async () => {
    const r = await measureBlocking(async () => {
      for (let i = 0; i < 10; i++) {
        busy(10);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return 'done';
    });
    expect(r.value).toBe('done');
    expect(r.maxGapMs).toBeLessThan(100);
    expect(r.durationMs).toBeGreaterThanOrEqual(90);
  });
});
