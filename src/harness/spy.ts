/*
 * Spies: wakers and futures that count what happens to them, so a check can assert "polled exactly
 * twice", "never woke itself", "dropped once".
 *
 * A spy waker counts wakes across the original *and* every clone, because a future normally wakes a
 * clone it stored, not the waker it was handed. `pollWith` raises an `inPoll` flag for the duration
 * of a poll: a wake that happens inside the poll is the future waking itself (a busy loop when used
 * to wait), which checks want to see separately from wakes that come from a timer or socket later.
 */
import { currentPoll, newTrace, record, setPolling, type Trace, type TraceKind } from './timeline.js';
import { SpinDetected } from './errors.js';
import type { Context, END, Future, Poll, Stream, Waker } from './types.js';
import { makeWaker, wrapWaker } from './wakers.js';

// Each spy's `inPoll` setter and trace, kept out of the spy object so checks cannot flip it by accident.
const inPollSetters = new WeakMap<SpyWaker, (on: boolean) => void>();
const spyTraces = new WeakMap<SpyWaker, Trace>();

// Futures polled by pollWith, numbered so the timeline can tell "the same future, polled by another
// task" (a waker kept from an old poll) from two futures that happen to share a spy.
const futIds = new WeakMap<object, number>();
let nextFut = 0;
const futId = (fut: unknown): number | undefined => {
  if ((typeof fut !== 'object' && typeof fut !== 'function') || fut === null) return undefined;
  let id = futIds.get(fut);
  if (id === undefined) futIds.set(fut, (id = ++nextFut));
  return id;
};

/** A waker that counts what is done with it. Read the counts; the harness updates them. */
export interface SpyWaker {
  /** The name given to `spyWaker`, for messages. */
  readonly name: string;
  /** The waker to put in a Context (or pass to `pollWith`). */
  readonly waker: Waker;
  /** `wake()` calls on the waker or any of its clones. */
  readonly wakes: number;
  /** `clone()` calls on the waker or any of its clones. */
  readonly clones: number;
  /** Wakes that happened while `pollWith` was polling with this spy: the future woke itself. */
  readonly wokeDuringPoll: number;
  /** `pollWith` calls made with this spy. */
  readonly polls: number;
  /** True while `pollWith` is polling with this spy. */
  readonly inPoll: boolean;
  /** True when a wake happened since the last `pollWith` started (or ever, before the first). */
  readonly woken: boolean;
  /** Sets every count back to zero (the waker and its clones keep working). */
  reset(): void;
}

/**
 * A waker that counts wakes and clones. `onWake`, if given, runs on every wake (after counting),
 * e.g. to push a task onto a queue in a hand-made executor.
 */
export function spyWaker(name = 'spy', onWake?: () => void): SpyWaker {
  const s = { wakes: 0, clones: 0, wokeDuringPoll: 0, polls: 0, inPoll: false, woken: false };
  const token = {};
  // The spy's row in a failed check's timeline: a task that polls with this waker.
  const trace = newTrace();
  record(trace, undefined, name, 'spawn');
  const waker = makeWaker(
    token,
    (clone) => {
      s.wakes += 1;
      s.woken = true;
      if (s.inPoll) s.wokeDuringPoll += 1;
      const by = currentPoll()?.task;
      record(trace, undefined, name, s.inPoll ? 'self-wake' : 'wake', by === undefined || by === name ? undefined : by, { clone });
      onWake?.();
    },
    (clone) => {
      s.clones += 1;
      record(trace, undefined, name, 'clone', undefined, { clone });
    },
  );
  const spy: SpyWaker = {
    name,
    waker,
    get wakes() {
      return s.wakes;
    },
    get clones() {
      return s.clones;
    },
    get wokeDuringPoll() {
      return s.wokeDuringPoll;
    },
    get polls() {
      return s.polls;
    },
    get inPoll() {
      return s.inPoll;
    },
    get woken() {
      return s.woken;
    },
    reset() {
      Object.assign(s, { wakes: 0, clones: 0, wokeDuringPoll: 0, polls: 0, woken: false });
    },
  };
  spyTraces.set(spy, trace);
  inPollSetters.set(spy, (on) => {
    if (on) {
      s.polls += 1;
      s.woken = false;
    }
    s.inPoll = on;
  });
  return spy;
}

function setInPoll(spy: SpyWaker, on: boolean): void {
  const set = inPollSetters.get(spy);
  if (set === undefined) throw new TypeError('pollWith needs a spy made by spyWaker()');
  set(on);
}

/** One poll by hand with `spy`: `inPoll` raised, the reactor's registrations noted on the spy's row, the result recorded. */
function pollBy<R>(spy: SpyWaker, target: unknown, poll: (cx: Context) => Poll<R>): Poll<R> {
  const cx: Context = { waker: spy.waker };
  setInPoll(spy, true);
  const trace = spyTraces.get(spy)!;
  const outer = currentPoll();
  setPolling({ trace, task: spy.name });
  let result: Poll<R> | undefined;
  try {
    result = poll(cx);
    return result;
  } finally {
    setInPoll(spy, false);
    setPolling(outer);
    // Read without running a getter the learner's code may have put there: recording must change nothing.
    const ready = typeof result === 'object' && result !== null && Object.getOwnPropertyDescriptor(result, 'ready')?.value === true;
    const fut = futId(target);
    record(trace, undefined, spy.name, result === undefined ? 'threw' : ready ? 'ready' : 'pending', undefined, fut === undefined ? undefined : { fut });
  }
}

/**
 * Polls `fut` once with a Context holding `spy.waker`, with `spy.inPoll` raised for the duration,
 * so wakes during the poll are counted in `spy.wokeDuringPoll`.
 */
export function pollWith<T>(fut: Future<T>, spy: SpyWaker): Poll<T> {
  return pollBy(spy, fut, (cx) => fut.poll(cx));
}

/** As `pollWith`, for a stream: calls `pollNext` once. The result's value may be `END`. */
export function pollNextWith<T>(stream: Stream<T>, spy: SpyWaker): Poll<T | typeof END> {
  return pollBy(spy, stream, (cx) => stream.pollNext(cx));
}

/** A future wrapped by `counted()`: it behaves like the inner future and counts what happens. */
export interface Counted<T> extends Future<T> {
  /** The wrapped future. */
  readonly inner: Future<T>;
  /** `poll` calls. */
  readonly polls: number;
  /** `drop` calls (the inner `drop`, if any, is called every time). */
  readonly drops: number;
  /** Wakes of any waker this future was handed (or a clone of one). */
  readonly wakes: number;
  /** Wakes that happened while this future was being polled: it woke itself. */
  readonly wokeDuringPoll: number;
  /** Polls after the first that no wake asked for (no wake since the previous poll started). */
  readonly unwokenPolls: number;
  /** True once a poll returned Ready. */
  readonly done: boolean;
  /** Polls made after it had returned Ready (a finished future must not be polled again). */
  readonly pollsAfterReady: number;
  drop(): void;
}

/** Options for `counted`. */
export interface CountedOptions {
  /** Used in messages. Default `"future"`. */
  name?: string;
  /** Throw `SpinDetected` on the poll that goes past this many. Default: no cap. */
  maxPolls?: number;
}

/**
 * Wraps `fut`, counting polls, drops and wakes. The waker handed to the inner future is a counting
 * wrapper of the caller's: `willWakeSame` and the reactor's bookkeeping see through it.
 *
 * A future driven correctly is polled once, then once per wake: `polls === wakes + 1` when it
 * finishes, and `unwokenPolls === 0`.
 */
export function counted<T>(fut: Future<T>, options: CountedOptions = {}): Counted<T> {
  const name = options.name ?? 'future';
  // What a learner's executor or combinator did with this future, for a failed check's timeline.
  let trace: Trace | undefined;
  // Set when an executor's task of the same name polls it: that row already shows these polls and
  // wakes, and a second row of the same name would double every mark (and look like busy polling).
  let joined: Trace | undefined;
  const note = (kind: TraceKind) => {
    if (joined === undefined) record((trace ??= newTrace()), undefined, name, kind);
  };
  note('spawn');
  const s = { polls: 0, drops: 0, wakes: 0, wokeDuringPoll: 0, unwokenPolls: 0, done: false, pollsAfterReady: 0, inPoll: false };
  let wakesAtLastPollStart = 0;
  // One wrapper per waker handed in, so a future that compares wakers across polls sees the same object.
  const wrappers = new WeakMap<Waker, Waker>();
  const onWake = (): void => {
    s.wakes += 1;
    if (s.inPoll) s.wokeDuringPoll += 1;
    note(s.inPoll ? 'self-wake' : 'wake');
  };
  return {
    inner: fut,
    get polls() {
      return s.polls;
    },
    get drops() {
      return s.drops;
    },
    get wakes() {
      return s.wakes;
    },
    get wokeDuringPoll() {
      return s.wokeDuringPoll;
    },
    get unwokenPolls() {
      return s.unwokenPolls;
    },
    get done() {
      return s.done;
    },
    get pollsAfterReady() {
      return s.pollsAfterReady;
    },
    poll(cx: Context): Poll<T> {
      s.polls += 1;
      const outer = s.polls === 1 ? currentPoll() : undefined;
      if (outer !== undefined && outer.task === name && outer.trace !== trace) {
        joined = outer.trace;
        if (trace !== undefined) trace.events.length = trace.tasks.length = 0;
      }
      if (s.polls > 1 && s.wakes === wakesAtLastPollStart) s.unwokenPolls += 1;
      wakesAtLastPollStart = s.wakes;
      if (s.done) s.pollsAfterReady += 1;
      if (options.maxPolls !== undefined && s.polls > options.maxPolls) {
        (joined ?? (trace ??= newTrace())).spin = { task: name, polls: s.polls };
        throw new SpinDetected({ kind: 'future', name, polls: s.polls, cap: options.maxPolls, selfWakes: s.wokeDuringPoll, unwokenPolls: s.unwokenPolls });
      }
      let waker = wrappers.get(cx.waker);
      if (waker === undefined) {
        waker = wrapWaker(cx.waker, onWake);
        wrappers.set(cx.waker, waker);
      }
      s.inPoll = true;
      let result: Poll<T> | undefined;
      try {
        result = fut.poll({ waker });
        if (result.ready) s.done = true;
        return result;
      } finally {
        s.inPoll = false;
        note(result === undefined ? 'threw' : result.ready ? 'ready' : 'pending');
      }
    },
    drop() {
      // An executor's abort() has just recorded this drop itself.
      const last = joined?.events.at(-1);
      if (joined !== undefined && !(last?.kind === 'drop' && last.task === name)) record(joined, undefined, name, 'drop');
      note('drop');
      s.drops += 1;
      fut.drop?.();
    },
  };
}
