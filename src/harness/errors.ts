/*
 * Errors the harness throws at learners. Their messages are part of the course: each says what
 * happened and what to change.
 */

/** What `SpinDetected` knows about the spin. */
export interface SpinInfo {
  /** `task` when an executor (TestExecutor) saw it, `future` when a `counted()` future did. */
  kind: 'task' | 'future';
  /** The task's or future's name. */
  name: string;
  /** How many polls it had when the cap was hit. */
  polls: number;
  /** The cap (`maxPolls`). */
  cap: number;
  /** Wakes that happened while it was being polled: the future woke itself. */
  selfWakes: number;
  /** Polls that no wake had asked for: the executor polled without being woken. */
  unwokenPolls: number;
}

/**
 * Thrown when a task or future is polled more times than a check allows: something is busy-polling
 * instead of waiting for a wake. Rust has no such guard, so there the program would simply spin a
 * CPU core at 100 %.
 */
export class SpinDetected extends Error {
  /** The details behind the message. */
  readonly info: SpinInfo;

  constructor(info: SpinInfo) {
    super(spinMessage(info));
    this.name = 'SpinDetected';
    this.info = info;
  }
}

function spinMessage(i: SpinInfo): string {
  const head =
    i.kind === 'task'
      ? `task "${i.name}" was polled ${i.polls} times in one run (the cap is ${i.cap}) and the executor never ran out of work`
      : `future "${i.name}" was polled ${i.polls} times (the cap is ${i.cap})`;
  const causes: string[] = [];
  if (i.selfWakes > 0) {
    causes.push(
      `It woke itself ${i.selfWakes} times while being polled: calling cx.waker.wake() and then returning Pending asks to be polled again ` +
        'right away, which is a busy loop. Instead hand a clone of cx.waker to whatever you are waiting for (e.g. ' +
        'reactor.registerTimer(deadline, cx.waker.clone())) and return Pending: it will call wake() when there is progress to make',
    );
  }
  if (i.unwokenPolls > 0) {
    causes.push(
      `${i.unwokenPolls} of those polls happened without any wake asking for them: an executor should poll a future again only ` +
        'after its waker was woken; when nothing is woken, wait (e.g. turn the reactor) instead of polling in a loop',
    );
  }
  if (causes.length === 0) {
    causes.push(
      'Something keeps waking it without it finishing: check that every wake is followed by progress, and that a future returns ' +
        'Pending only after handing its waker to something that will wake it later',
    );
  }
  return `SpinDetected: ${head}. ${causes.map((c, n) => (causes.length > 1 ? `(${n + 1}) ${c}` : c)).join('. ')}.`;
}
