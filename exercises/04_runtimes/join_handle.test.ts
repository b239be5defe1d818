import { expect, test } from 'vitest';
import { SEEDS, VirtualReactor, banned, counted, pollWith, seeded, sleep, spyWaker } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';
import { Executor as LibExecutor, JoinError as LibJoinError, JoinHandle as LibJoinHandle } from '../_lib/runtime';
import { Executor, JoinError, type JoinHandle, type Result } from './join_handle';

/** `ms` virtual ms after creation, Ready with `value`. */
function after<T>(reactor: VirtualReactor, ms: number, value: T): Future<T> {
  const s = sleep(reactor, ms);
  return {
    poll: (cx: Context): Poll<T> => (s.poll(cx).ready ? Ready(value) : Pending),
    drop: () => s.drop(),
  };
}

/** Sleeps `ms`, then runs `effect` and is Ready with its return value. */
function thenDo<T>(reactor: VirtualReactor, ms: number, effect: () => T): Future<T> {
  const s = sleep(reactor, ms);
  return {
    poll: (cx: Context): Poll<T> => (s.poll(cx).ready ? Ready(effect()) : Pending),
    drop: () => s.drop(),
  };
}

/** A task that waits for `handle` and stores what it got. */
function awaiting<T>(handle: JoinHandle<T>, got: { result?: Result<T, JoinError> }): Future<void> {
  return {
    poll(cx) {
      const p = handle.poll(cx);
      if (!p.ready) return Pending;
      got.result = p.value;
      return Ready(undefined);
    },
  };
}

/** Checks that spawn returned a handle, with a clear message when it did not. */
function handleOf<T>(h: JoinHandle<T> | void): JoinHandle<T> {
  const ok = typeof h === 'object' && h !== null && typeof h.poll === 'function' && typeof h.abort === 'function' && typeof h.drop === 'function';
  expect(ok, `spawn should return a JoinHandle: an object with poll(cx), abort() and drop(); it returned ${String(h)}`).toBe(true);
  if (!ok) throw new Error('unreachable');
  return h;
}

/** Polls a handle from outside any task, after run() returned. */
function resultOf<T>(h: JoinHandle<T>, what: string): Result<T, JoinError> {
  const p = pollWith(h, spyWaker('outside'));
  expect(p.ready, `${what}: after run() returned, polling its handle should give the result right away`).toBe(true);
  if (!p.ready) throw new Error('unreachable');
  return p.value;
}

/**
 * A JoinError says which of the two it is, the same way through every door: `kind`, `isPanic()`,
 * `isCancelled()`, its name and its message (tokio's Display: "task … panicked" / "task … was cancelled").
 */
function expectJoinError(error: unknown, kind: 'panic' | 'cancelled', from: string): void {
  expect(error, `the error from ${from} should be a JoinError`).toBeInstanceOf(JoinError);
  const e = error as JoinError;
  const seen = { kind: e.kind, isPanic: e.isPanic(), isCancelled: e.isCancelled(), name: e.name, says: kind === 'panic' ? /panick/i.test(e.message) : /cancel/i.test(e.message) };
  expect(
    seen,
    `a JoinError from ${from} is a ${kind === 'panic' ? 'panic' : 'cancellation'}: kind '${kind}', isPanic() ${kind === 'panic'}, ` +
      `isCancelled() ${kind === 'cancelled'}, named JoinError, and its message says "${kind === 'panic' ? 'panicked' : 'cancelled'}" ` +
      `(it reads "${e.message}"). Build it with new JoinError('${kind}'${kind === 'panic' ? ', error' : ''}) and keep the class as given`,
  ).toEqual({ kind, isPanic: kind === 'panic', isCancelled: kind === 'cancelled', name: 'JoinError', says: true });
}

/** Runs, explaining an escaped throw. */
function run(ex: Executor): void {
  try {
    ex.run();
  } catch (error) {
    throw new Error(
      `run() threw "${String(error)}". A task whose poll throws has panicked: catch it, end that task with ` +
        "new JoinError('panic', error) in its handle, and carry on with the other tasks.",
      { cause: error },
    );
  }
}

test('a task awaiting a handle is woken once and gets the value', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ms = rng.int(10, 300);
    const value = rng.int(1, 1_000_000);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const child = handleOf(ex.spawn(after(reactor, ms, value)));
    const got: { result?: Result<number, JoinError> } = {};
    const parent = counted(awaiting(child, got), { name: 'parent', maxPolls: 20 });
    ex.spawn(parent);
    run(ex);
    expect(got.result, `the parent should get { ok: true, value: ${value} } from the child's handle (seed ${seed})`).toEqual({ ok: true, value });
    expect(
      parent.wakes,
      'the parent should be woken exactly once, by the child finishing. Keep the waker of whoever polls the ' +
        'handle in the shared slot, and wake it when the result is written, not before',
    ).toBe(1);
    expect(parent.polls, 'the parent should be polled twice: once to start, once after the wake').toBe(2);
    expect(reactor.now, `the child finishes at t=${ms}`).toBe(ms);
  }
});

test('a task that returns undefined, 0 or false still finishes', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const outputs: unknown[] = rng.shuffle([undefined, 0, false, '', null, Number.NaN]);
    const handles = outputs.map((v) => handleOf(ex.spawn(after(reactor, rng.int(1, 100), v))));
    const got: { result?: Result<unknown, JoinError> } = {};
    const watcher = counted(awaiting(handles[0] ?? handles[1]!, got), { name: 'watcher', maxPolls: 20 });
    ex.spawn(watcher);
    run(ex);
    outputs.forEach((v, i) => {
      expect(
        resultOf(handles[i]!, `the task returning ${String(v)}`),
        `a task whose output is ${v === '' ? "''" : String(v)} has finished too: its handle should be Ready with ` +
          `{ ok: true, value: ${v === '' ? "''" : String(v)} }. "No result yet" needs its own marker (an empty slot), ` +
          'not a value that a task may return (Rust: Option<Result<T, JoinError>>; a Future<void> returns undefined)',
      ).toEqual({ ok: true, value: v });
    });
    expect(got.result, 'a task awaiting that handle gets it too').toEqual({ ok: true, value: outputs[0] });
    expect(watcher.wakes, 'and is woken exactly once').toBe(1);
  }
});

test('the latest poller of a handle is the one woken', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const h = handleOf(ex.spawn(after(reactor, rng.int(10, 200), rng.int(0, 99))));
    const first = spyWaker('first task');
    const second = spyWaker('second task');
    expect(pollWith(h, first).ready, 'the task has not run yet: Pending').toBe(false);
    expect(pollWith(h, second).ready, 'still Pending').toBe(false);
    run(ex);
    expect(
      [first.wakes, second.wakes],
      'the handle was polled by a first task and then by a second one (it moved): when the task finishes, the ' +
        "waker of the latest poll is the one to wake. Replace the stored waiter on every Pending poll, don't keep " +
        `the first (Rust: a future keeps only the waker from its latest poll) (seed ${seed})`,
    ).toEqual([0, 1]);
  }
});

test('a panicking task becomes JoinError and the others finish', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const n = rng.int(2, 5);
    const values = rng.distinct(n, 1, 10_000);
    const delays = values.map(() => rng.int(1, 200));
    const boom = new Error(`boom ${seed}`);
    const bombAt = rng.int(1, 200);
    const handles = values.map((v, i) => handleOf(ex.spawn(after(reactor, delays[i] ?? 0, v))));
    const bomb = handleOf(
      ex.spawn(
        thenDo(reactor, bombAt, () => {
          throw boom;
        }),
      ),
    );
    run(ex);
    handles.forEach((h, i) => {
      expect(resultOf(h, `task ${i}`), `task ${i} should still finish with its own value (seed ${seed})`).toEqual({ ok: true, value: values[i] });
    });
    const r = resultOf(bomb, 'the task that threw');
    expect(r.ok, 'the task that threw should end with { ok: false, error: JoinError }').toBe(false);
    if (!r.ok) {
      expect(r.error, 'the error should be a JoinError').toBeInstanceOf(JoinError);
      expect(r.error.isPanic(), "a throw in poll is a panic: new JoinError('panic', error)").toBe(true);
      expect(r.error.cause, 'the JoinError should carry what the task threw as its cause').toBe(boom);
      expectJoinError(r.error, 'panic', `what the task threw (${String(boom)})`);
      expect(
        r.error.message.includes(String(boom)),
        `the panic's message should include what the task threw, "${String(boom)}"; it reads "${r.error.message}"`,
      ).toBe(true);
    }
    expect(reactor.now, 'every other task ran to the end').toBe(Math.max(...delays, bombAt));
  }
});

test('abort() drops the future once and yields cancelled', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const at = rng.int(10, 100);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    // The killer is spawned first, so at t=at its timer fires before the second victim's.
    let victim: JoinHandle<string> | undefined;
    let queuedVictim: JoinHandle<string> | undefined;
    ex.spawn(
      thenDo(reactor, at, () => {
        victim?.abort();
        queuedVictim?.abort();
        victim?.abort(); // twice: no effect the second time
      }),
    );
    const sleeping = counted(after(reactor, at + rng.int(1, 100), 'too late'), { name: 'victim' });
    victim = handleOf(ex.spawn(sleeping));
    // Woken at the same moment as the killer, so it sits in the queue when it is aborted.
    const queued = counted(after(reactor, at, 'also too late'), { name: 'queued victim' });
    queuedVictim = handleOf(ex.spawn(queued));
    const got: { result?: Result<string, JoinError> } = {};
    ex.spawn(awaiting(victim, got));
    run(ex);
    expect(sleeping.drops, "abort() should call the task's future's drop() exactly once").toBe(1);
    expect(queued.drops, "abort() should call the queued task's future's drop() exactly once").toBe(1);
    expect(sleeping.polls, 'an aborted task must never be polled again').toBe(1);
    expect(queued.polls, 'a task aborted while waiting in the run queue must not be polled').toBe(1);
    expect(reactor.pendingTimers, "dropping the victim's future cancels its timer").toBe(0);
    expect(reactor.now, `nothing is left to wait for after the abort at t=${at}`).toBe(at);
    const r = got.result;
    expect(r?.ok, 'a task awaiting the aborted handle should be woken and get { ok: false, error }').toBe(false);
    if (r !== undefined && !r.ok) {
      expect(r.error.isCancelled(), "the error should be new JoinError('cancelled')").toBe(true);
      expectJoinError(r.error, 'cancelled', 'abort()');
    }
  }
});

test('a dropped handle detaches the task', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ms = rng.int(10, 300);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    let sideEffect = 0;
    const fut = counted(thenDo(reactor, ms, () => (sideEffect += 1)), { name: 'detached' });
    const h = handleOf(ex.spawn(fut));
    h.drop();
    run(ex);
    expect(
      sideEffect,
      "dropping the handle only lets go of it: the task keeps running to the end (Rust: a dropped JoinHandle detaches the task; it is not abort())",
    ).toBe(1);
    expect(fut.drops, "the task's future should not have been dropped (cancelled)").toBe(0);
    expect(reactor.now, `the detached task finishes at t=${ms}`).toBe(ms);
  }
});

test('abort() after completion keeps the value', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const value = rng.int(1, 1_000_000);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const h = handleOf(ex.spawn(after(reactor, rng.int(1, 100), value)));
    run(ex);
    h.abort();
    expect(resultOf(h, 'the finished task'), 'abort() on a finished task does nothing: its value stays').toEqual({ ok: true, value });
  }
});

test('a task that aborts itself stays cancelled', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ms = rng.int(10, 200);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    let me: JoinHandle<string> | undefined;
    const fut = counted(
      thenDo(reactor, ms, () => {
        me?.abort(); // through its own handle, during its own poll
        return 'finished anyway';
      }),
      { name: 'self-aborting task' },
    );
    me = handleOf(ex.spawn(fut));
    const got: { result?: Result<string, JoinError> } = {};
    const waiter = counted(awaiting(me, got), { name: 'waiter', maxPolls: 20 });
    ex.spawn(waiter);
    run(ex);
    const r = resultOf(me, 'the task that aborted itself');
    expect(
      r.ok,
      `at t=${ms} the task called abort() on its own handle and then its poll returned Ready. abort() had already ` +
        "ended it (result: JoinError('cancelled'), future dropped), so that Ready must not overwrite the result: after " +
        'a poll, look whether the task was ended during it before writing Ready. A result, once written, stays',
    ).toBe(false);
    if (!r.ok) expectJoinError(r.error, 'cancelled', 'abort() during its own poll');
    expect(got.result?.ok, 'the task awaiting its handle gets the cancellation too').toBe(false);
    expect(waiter.wakes, 'and is woken exactly once').toBe(1);
    expect(fut.drops, "abort() drops the task's future once").toBe(1);
  }
});

test('run() returns once every task has ended, however it ended', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    // Somebody else's timer, far away: no task waits for it.
    const stranger = spyWaker('not a task of this executor');
    reactor.registerTimer(100_000, stranger.waker);
    const ex = new Executor(reactor);
    const [tOk = 0, tPanic = 0, tAbort = 0, tSelf = 0] = rng.distinct(4, 1, 300);
    handleOf(ex.spawn(after(reactor, tOk, 'ok')));
    handleOf(
      ex.spawn(
        thenDo(reactor, tPanic, () => {
          throw new Error('boom');
        }),
      ),
    );
    const victim = handleOf(ex.spawn(after(reactor, 50_000, 'never')));
    ex.spawn(thenDo(reactor, tAbort, () => victim.abort()));
    let me: JoinHandle<number> | undefined;
    me = handleOf(ex.spawn(thenDo(reactor, tSelf, () => (me?.abort(), 1))));
    run(ex);
    const end = Math.max(tOk, tPanic, tAbort, tSelf);
    expect(
      reactor.now,
      `every task had ended by t=${end} (one finished, one panicked, one was aborted, one aborted itself), yet run() ` +
        `went on turning the reactor to t=${reactor.now}, towards a timer no task waits for. run() should return as ` +
        'soon as no task is left: a task that panicked or was aborted has ended too, so count it out exactly once ' +
        `(seed ${seed})`,
    ).toBe(end);
    expect(stranger.wakes, "run() should not have fired somebody else's timer").toBe(0);
  }
});

test('a dropped handle forgets the task waiting on it', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ms = rng.int(10, 300);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const h = handleOf(ex.spawn(after(reactor, ms, rng.int(0, 99))));
    const gaveUp = spyWaker('the task that stopped waiting');
    expect(pollWith(h, gaveUp).ready, 'the task has not run yet: Pending').toBe(false);
    h.drop();
    run(ex);
    expect(
      gaveUp.wakes,
      'a task polled the handle and then dropped it (it stopped waiting: a select or a timeout dropped it), yet it ' +
        `was woken when the spawned task finished at t=${ms}. drop() lets go of the handle: forget the waker it ` +
        'stored, as every drop() forgets its wakers (Rust: dropping a JoinHandle drops its join waker)',
    ).toBe(0);
  }
});

test("a task's waker tells its own task from others", () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    const other = spyWaker('a waker from outside');
    const kept: Waker[] = [];
    const seen: Array<[string, boolean]> = [];
    const probe = (name: string): Future<void> => {
      let first: Waker | undefined;
      return {
        poll(cx) {
          if (first === undefined) {
            first = cx.waker.clone();
            kept.push(first);
            seen.push([`${name}: its own clone`, cx.waker.willWakeSame(first)]);
            seen.push([`${name}: a waker from outside`, cx.waker.willWakeSame(other.waker)]);
            cx.waker.wake();
            return Pending;
          }
          seen.push([`${name}: the clone kept from its first poll`, cx.waker.willWakeSame(first)]);
          return Ready(undefined);
        },
      };
    };
    const names = rng.shuffle(['task A', 'task B']);
    for (const name of names) ex.spawn(probe(name));
    run(ex);
    const [wa, wb] = kept;
    seen.push(["task A's waker compared with task B's", wa !== undefined && wb !== undefined && wa.willWakeSame(wb)]);
    const want = new Map<string, boolean>(seen.map(([what]) => [what, !/outside|compared/.test(what)]));
    expect(
      seen,
      "each entry is [what a task's waker was compared with, what willWakeSame answered]: true for a waker that wakes " +
        "the same task (any clone, from any poll), false for anybody else's. Leaf futures use it to skip replacing a " +
        'stored waker; a wrong answer wakes the wrong task or loses a wake (Rust: Waker::will_wake)',
    ).toEqual(seen.map(([what]) => [what, want.get(what)]));
    expect(other.wakes, 'the waker from outside is never woken').toBe(0);
  }
});

test('a task woken twice before its poll is polled once', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const ms = rng.int(10, 300);
    const later = ms + rng.int(1, 100);
    const value = rng.int(0, 999);
    const reactor = new VirtualReactor();
    const ex = new Executor(reactor);
    // Two timers due together, and a third after them: the task is still Pending after the double wake.
    const sleeps = [sleep(reactor, ms), sleep(reactor, ms), sleep(reactor, later)];
    const done = sleeps.map(() => false);
    const three = counted<number>(
      {
        poll(cx) {
          sleeps.forEach((s, i) => {
            if (!done[i]) done[i] = s.poll(cx).ready;
          });
          return done.every(Boolean) ? Ready(value) : Pending;
        },
      },
      { name: 'three timers', maxPolls: 20 },
    );
    const h = handleOf(ex.spawn(three));
    run(ex);
    expect(resultOf(h, 'the task with three timers'), 'it finishes with its value').toEqual({ ok: true, value });
    expect(
      three.polls,
      `two timers due at t=${ms} woke the task twice before its next poll: that asks for ONE poll, so 3 polls in all ` +
        `(start, t=${ms}, t=${later}). A task already in the run queue is not queued again (seed ${seed})`,
    ).toBe(3);
    expect(three.unwokenPolls, 'no poll without a wake since the one before').toBe(0);
  }
});

test('builds the handle by hand', () => {
  const found = banned(
    new URL('./join_handle.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'the join handle is built here from a shared slot and wakers, without the reference runtime or JavaScript promises',
  );
  expect(found, found.join('\n')).toEqual([]);
  const reactor = new VirtualReactor();
  const ex = new Executor(reactor);
  const h = ex.spawn(after(reactor, 1, 1));
  const borrowed =
    ex instanceof LibExecutor || h instanceof LibJoinHandle || JoinError === LibJoinError || JoinError.prototype instanceof LibJoinError;
  expect(
    borrowed,
    "the executor, its handles or JoinError are the course library's (../_lib/runtime): they must be your own classes",
  ).toBe(false);
});
