import { withStuckSite } from '../../../core/decide-verdict.js';
import type { Verdict } from '../../../core/verdict.js';
import { trace } from '../../trace.js';

/** How a diagnostic re-run looks closer: promise tracking in the worker, or probes in the learner's loops. */
export type Closer = 'track-promises' | 'probe-loops';

/**
 * A hang found while one exercise was checked (watch mode, `run`) is run once more to name the
 * learner's line: a test that never settled, with promise tracking in its worker (the last
 * promise made in the learner's code and still pending); a blocked loop, with probes at the top of
 * the learner's loops (host/spin-probe.ts). The first verdict is already on screen (onRuntime);
 * this only adds the place. Batches never pay for it. A re-run that does not find the same hang,
 * with a place, keeps the first verdict.
 */
export async function pinpointHang(first: Verdict, rerun: (how: Closer) => Promise<Verdict>): Promise<Verdict> {
  if (first.status !== 'timeout' || first.diagnosis.kind === 'open-handles') return first;
  const kind = first.diagnosis.kind;
  trace(`pinpoint: re-run with ${kind === 'never-settled' ? 'promise tracking' : 'loop probes'}`);
  const again = await rerun(kind === 'never-settled' ? 'track-promises' : 'probe-loops');
  if (again.status !== 'timeout' || again.diagnosis.kind !== kind || again.diagnosis.test !== first.diagnosis.test || !again.diagnosis.frame) return first;
  // A never-settled re-run waits less long than the first run (2 s): keep the first's wait.
  return kind === 'never-settled' ? withStuckSite(first, again.diagnosis.frame) : { ...first, diagnosis: again.diagnosis };
}
