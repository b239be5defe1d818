import { expect, test } from 'vitest';
import { SEEDS, TestExecutor, VirtualReactor, banned, pollWith, seeded, sleep, spyWaker, type TaskHandle } from 'async-lessons/harness';
import { Pending, Ready, type Future } from '../_lib/future';
import { awaitable, fromPromise, toPromise, type Spawner } from './compat_layer';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A thenable over a real Promise that counts how often `then` is called on it. */
function spyThenable<T>(promise: Promise<T>) {
  const spy = {
    thens: 0,
    then<R1 = T, R2 = never>(
      onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
      onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
    ): Promise<R1 | R2> {
      spy.thens += 1;
      return promise.then(onFulfilled, onRejected);
    },
  };
  return spy;
}

/** A Promise the check settles by hand. */
function deferred<T>() {
  let resolve: (v: T) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Ready with `value` after `ms` virtual ms, counting its polls. */
function timed<T>(reactor: VirtualReactor, ms: number, value: T) {
  const s = sleep(reactor, ms);
  const f = { polls: 0, drops: 0 };
  const fut: Future<T> = {
    poll(cx) {
      f.polls += 1;
      return s.poll(cx).ready ? Ready(value) : Pending;
    },
    drop() {
      f.drops += 1;
      s.drop();
    },
  };
  return { fut, f };
}

/** A TestExecutor that also counts spawns, for the "one task" rules. */
function executor(reactor?: VirtualReactor) {
  const exec = new TestExecutor(reactor === undefined ? {} : { reactor });
  const handles: Array<TaskHandle<void>> = [];
  const spawner: Spawner = {
    spawn(name, fut) {
      const handle = exec.spawn(name, fut);
      handles.push(handle);
      return handle;
    },
  };
  return { exec, spawner, handles, spawned: () => handles.length };
}

test('fromPromise attaches its then handlers once, however often it is polled', async () => {
  for (const seed of SEEDS) {
    const polls = seeded(seed).int(2, 9);
    const d = deferred<number>();
    const thenable = spyThenable(d.promise);
    const fut = fromPromise<number>(thenable);
    const spy = spyWaker();
    expect(thenable.thens, 'creating the future calls then at most once').toBeLessThanOrEqual(1);
    for (let i = 0; i < polls; i++) expect(pollWith(fut, spy).ready, 'Pending while the promise is pending').toBe(false);
    expect(
      thenable.thens,
      `${polls} polls of a pending promise: then() was called ${thenable.thens} times. Attach the handlers once and remember that you did; each poll only stores the waker`,
    ).toBe(1);
    d.resolve(seed);
    await tick();
    expect(pollWith(fut, spy), 'once the promise has fulfilled, the next poll is Ready(Ok(value))').toEqual(Ready({ ok: true, value: seed }));
    expect(thenable.thens, 'still one then() after the promise settled').toBe(1);
  }
});

test('fromPromise sleeps until the promise settles: two polls, no self-wake', async () => {
  for (const seed of SEEDS) {
    const value = { seed };
    const spy = spyWaker();
    const fut = fromPromise(Promise.resolve(value));
    let first = pollWith(fut, spy);
    if (first.ready) {
      expect(first.value, 'Ready on the first poll is fine only with the right value').toEqual({ ok: true, value });
      continue;
    }
    expect(spy.wokeDuringPoll, 'fromPromise must not wake during poll: the promise callback wakes later').toBe(0);
    expect(spy.wakes, 'no wake before the promise callback has run').toBe(0);
    await tick();
    expect(spy.wakes, 'the promise callback wakes the waker stored by the Pending poll, once').toBe(1);
    first = pollWith(fut, spy);
    expect(first, 'the second poll, after the wake, is Ready(Ok(value)): 2 polls in all').toEqual(Ready({ ok: true, value }));
    expect(first.ready && first.value.ok && first.value.value, 'the very value the promise fulfilled with').toBe(value);
  }
});

test('a rejection becomes Err, never a throw', async () => {
  for (const seed of SEEDS) {
    const boom = new Error(`rejected (seed ${seed})`);
    const d = deferred<number>();
    const fut = fromPromise<number, Error>(d.promise);
    const spy = spyWaker();
    expect(pollWith(fut, spy).ready).toBe(false);
    d.reject(boom);
    await tick();
    expect(spy.wakes, 'a rejection wakes the waker too').toBe(1);
    let polled: unknown;
    expect(() => (polled = pollWith(fut, spy)), 'poll never throws: a rejected promise is a value, Err(error)').not.toThrow();
    expect(polled, 'a rejected promise gives Ready(Err(error)) with the very error').toEqual(Ready({ ok: false, error: boom }));
    expect(polled).toHaveProperty('value.error', boom);
  }
});

test('fromPromise wakes the waker of the latest poll', async () => {
  for (const seed of SEEDS) {
    const d = deferred<string>();
    const fut = fromPromise(d.promise);
    const tasks = Array.from({ length: seeded(seed).int(2, 4) }, (_, i) => spyWaker(`task ${i + 1}`));
    for (const t of tasks) pollWith(fut, t);
    d.resolve('v');
    await tick();
    const last = tasks[tasks.length - 1];
    expect(
      tasks.map((t) => t.wakes),
      `polled by ${tasks.length} tasks in turn (the future moved): only the last poll's waker is woken, once`,
    ).toEqual(tasks.map((t) => (t === last ? 1 : 0)));
  }
});

test('toPromise runs the future as one task and resolves with its value', async () => {
  for (const seed of SEEDS) {
    const ms = seeded(seed).int(1, 300);
    const reactor = new VirtualReactor();
    const { exec, spawner, spawned } = executor(reactor);
    const { fut, f } = timed(reactor, ms, `value ${seed}`);
    let settled = false;
    const promise = toPromise(fut, spawner).finally(() => (settled = true));
    await tick();
    expect(settled, 'toPromise does not settle before the executor has run the future').toBe(false);
    expect(f.polls, 'toPromise leaves the polling to the executor: it does not poll the future itself').toBe(0);
    expect(spawned(), 'toPromise spawns exactly one task').toBe(1);
    exec.run();
    expect(await promise, 'it resolves with the future’s value').toBe(`value ${seed}`);
    expect(reactor.now, 'after the future’s timer').toBe(ms);
    expect(f.polls, 'the task polled the future twice: once to start, once after its timer').toBe(2);
    expect(exec.liveTasks, 'the task ends when the future is Ready').toBe(0);
    expect(spawned()).toBe(1);
  }
});

test('toPromise rejects when the future throws', async () => {
  const boom = new Error('poll failed');
  const { exec, spawner } = executor();
  const promise = toPromise<number>({ poll: () => { throw boom; } }, spawner);
  const outcome = promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  exec.run();
  expect(await outcome, 'a future whose poll throws makes the Promise reject with that error').toBe(boom);
  expect(
    exec.liveTasks,
    "the future threw, so it will never be Ready: the task that ran it is over too (return Ready from the task's poll " +
      'after rejecting), not left Pending for ever with nothing to wake it',
  ).toBe(0);
});

test('a thenable that answers at once: Ready on the first poll, no wake during it', () => {
  for (const seed of SEEDS) {
    const value = `now ${seed}`;
    // A PromiseLike that calls back inside then() itself, before then() returns (some thenables do).
    const eager: PromiseLike<string> = {
      then(onFulfilled) {
        onFulfilled?.(value);
        return eager as never;
      },
    };
    const spy = spyWaker('task');
    const fut = fromPromise<string>(eager);
    expect(pollWith(fut, spy), 'the answer came while the first poll was attaching its handlers: Ready at once').toEqual({
      ready: true,
      value: { ok: true, value },
    });
    expect(
      spy.wokeDuringPoll,
      'the handler ran inside the poll; it must not wake the waker of a poll that is still running (store the waker ' +
        'only after attaching, when the result is still missing)',
    ).toBe(0);
  }
});

test('a dropped future lets go of its waker, and a cancelled task drops its future', async () => {
  const d = deferred<number>();
  const fut = fromPromise(d.promise);
  const spy = spyWaker();
  pollWith(fut, spy);
  fut.drop?.();
  d.resolve(1);
  await tick();
  expect(spy.wakes, 'after drop(), fromPromise forgets the waker: settling the promise wakes nobody').toBe(0);

  const reactor = new VirtualReactor();
  const { exec, spawner, handles } = executor(reactor);
  const { fut: slow, f } = timed(reactor, 100, 'never');
  const outcome = toPromise(slow, spawner).then(
    () => 'resolved',
    (error: unknown) => error,
  );
  exec.runUntilStalled();
  handles[0]?.abort();
  expect(f.drops, "aborting toPromise's task drops the future it runs").toBe(1);
  expect(reactor.pendingTimers, "so the future's timer is cancelled").toBe(0);
  const error = await outcome;
  expect(error, 'and the Promise rejects with an Error: no value will ever come').toBeInstanceOf(Error);
  expect(String(error)).toMatch(/cancel/);
});

test('awaitable spawns nothing until it is awaited, then once', async () => {
  for (const seed of SEEDS) {
    const reactor = new VirtualReactor();
    const { exec, spawner, spawned } = executor(reactor);
    const { fut } = timed(reactor, seeded(seed).int(1, 100), seed);
    const lazy = awaitable(fut, spawner);
    await tick();
    expect(spawned(), 'creating the awaitable spawns nothing: futures are lazy').toBe(0);
    const a = (async () => await lazy)();
    const b = Promise.resolve(lazy).then((v) => v * 2);
    await tick();
    expect(spawned(), 'awaiting it spawns the future as one task, however many times it is awaited').toBe(1);
    exec.run();
    expect(await a, 'await gives the future’s value').toBe(seed);
    expect(await b, 'then() chains like a Promise’s').toBe(seed * 2);
    expect(await lazy, 'awaiting it again gives the same value without a second task').toBe(seed);
    expect(spawned()).toBe(1);
  }
});

test('translates instead of borrowing a runtime', () => {
  const found = banned(
    new URL('./compat_layer.ts', import.meta.url),
    ['import:async-lessons', 'setTimeout', 'setImmediate', 'queueMicrotask'],
    'the layer translates one side’s signal into the other’s; it needs no timer of its own',
  );
  expect(found, found.join('\n')).toEqual([]);
});
