/*
 * Spies: wakers and futures that count what happens to them, so a check can assert "polled exactly
 * twice", "never woke itself", "dropped once".
 *
 * A spy waker counts wakes across the original *and* every clone, because a future normally wakes a
 * clone it stored, not the waker it was handed. `pollWith` raises an `inPoll` flag for the duration
 * of a poll: a wake that happens inside the poll is the future waking itself (a busy loop when used
 * to wait), which checks want to see separately from wakes that come from a timer or socket later.
 */
import { newTrace, record, type Trace, type TraceKind } from './timeline.js';
import { SpinDetected } from './errors.js';
import type { Context, END, Future, Poll, Stream, Waker } from './types.js';
import { makeWaker, wrapWaker } from './wakers.js';

// Each spy's `inPoll` setter, kept out of the spy object so checks cannot flip it by accident.
const inPollSetters = new WeakMap<SpyWaker, (on: boolean) => void>();

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
  const waker = makeWaker(
    token,
    () => {
      s.wakes += 1;
      s.woken = true;
      if (s.inPoll) s.wokeDuringPoll += 1;
      onWake?.();
    },
    () => {
      s.clones += 1;
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

/**
 * Polls `fut` once with a Context holding `spy.waker`, with `spy.inPoll` raised for the duration,
 * so wakes during the poll are counted in `spy.wokeDuringPoll`.
 */
export function pollWith<T>(fut: Future<T>, spy: SpyWaker): Poll<T> {
  const cx: Context = { waker: spy.waker };
  setInPoll(spy, true);
  try {
    return fut.poll(cx);
  } finally {
    setInPoll(spy, false);
  }
}

/** As `pollWith`, for a stream: calls `pollNext` once. The result's value may be `END`. */
export function pollNextWith<T>(stream: Stream<T>, spy: SpyWaker): Poll<T | typeof END> {
  const cx: Context = { waker: spy.waker };
  setInPoll(spy, true);
  try {
    return stream.pollNext(cx);
  } finally {
    setInPoll(spy, false);
  }
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
  const note = (kind: TraceKind) => record((trace ??= newTrace()), undefined, name, kind);
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
      if (s.polls > 1 && s.wakes === wakesAtLastPollStart) s.unwokenPolls += 1;
      wakesAtLastPollStart = s.wakes;
      if (s.done) s.pollsAfterReady += 1;
      if (options.maxPolls !== undefined && s.polls > options.maxPolls) {
        (trace ??= newTrace()).spin = { task: name, polls: s.polls };
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
      note('drop');
      s.drops += 1;
      fut.drop?.();
    },
  };
}
