import { expect, test } from 'vitest';
import { END, SEEDS, SpinDetected, TestExecutor, banned, pollWith, seeded, spyWaker, type TaskHandle } from 'async-lessons/harness';
import { Channel } from './lost_wakeup';

/** runUntilStalled, turning a SpinDetected into an explanation. */
function runQueue(ex: TestExecutor): void {
  try {
    ex.runUntilStalled({ maxPolls: 200 });
  } catch (error) {
    if (error instanceof SpinDetected) {
      throw new Error(
        'a receiver kept asking to be polled again while the channel was empty: waking yourself in poll is a busy ' +
          `loop, not a wait. Store a clone of cx.waker where send() will find it, and return Pending.\n${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Seeded values, falsy ones included: 0, '' and undefined are values too. */
function valuesFor(seed: number, n: number): unknown[] {
  const rng = seeded(seed);
  const pool: unknown[] = [0, '', undefined, false, null];
  return Array.from({ length: n }, (_, i) => (rng.int(0, 2) === 0 ? pool[rng.int(0, pool.length - 1)] : `m${seed}-${i}`));
}

const lostHelp = (ex: TestExecutor): string =>
  `${ex.explainStalled()}\nrecv() returned Pending without leaving its waker anywhere send() looks, so the wake was lost.`;

test('naive: send first, then receive (this passes even with the bug)', () => {
  const ch = new Channel<string>();
  const ex = new TestExecutor();
  ch.send('hello');
  const t = ex.spawn('consumer', ch.recv());
  runQueue(ex);
  expect(t.done && t.result).toBe('hello');
});

test('receive first, then send: the waiting receiver is woken', () => {
  for (const seed of SEEDS) {
    const [value] = valuesFor(seed, 1);
    const ch = new Channel<unknown>();
    const ex = new TestExecutor();
    const t = ex.spawn('consumer', ch.recv());
    runQueue(ex);
    expect(t.done, 'nothing was sent yet, so the receiver must wait').toBe(false);
    ch.send(value);
    runQueue(ex);
    expect(ex.stalled(), lostHelp(ex)).toEqual([]);
    expect(t.done && t.result, `the receiver gets the value sent (seed ${seed})`).toBe(value);
    expect(t.polls, 'one poll to find the channel empty, one after the wake').toBe(2);
    expect(t.wokeDuringPoll, 'the receiver should never wake itself').toBe(0);
  }
});

test('each send wakes one waiting receiver, the one that waited longest', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(2, 6);
    const values = valuesFor(seed, n);
    const ch = new Channel<unknown>();
    const ex = new TestExecutor();
    const tasks: Array<TaskHandle<unknown>> = [];
    for (let i = 0; i < n; i++) tasks.push(ex.spawn(`receiver ${i}`, ch.recv()));
    runQueue(ex);
    for (let k = 0; k < n; k++) {
      const before = ex.trace.length;
      ch.send(values[k]);
      runQueue(ex);
      expect(
        ex.trace.slice(before),
        `${n} receivers were waiting and send() was called once: exactly one should be polled, the one that has ` +
          `waited longest ("receiver ${k}"). ${ex.stalled().length > 0 ? lostHelp(ex) : ''} (seed ${seed})`,
      ).toEqual([`receiver ${k}`]);
      expect(tasks[k]?.done && tasks[k]?.result, `receiver ${k} gets the value of send number ${k + 1}`).toBe(values[k]);
    }
    expect(ex.stalled(), lostHelp(ex)).toEqual([]);
    for (const t of tasks) expect(t.polls, `${t.name}: one poll to wait, one to take its value`).toBe(2);
  }
});

test('close() ends every waiting receiver, after the values already sent', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(3, 7);
    const sent = rng.int(0, n - 2);
    const values = valuesFor(seed, sent);
    const ch = new Channel<unknown>();
    const ex = new TestExecutor();
    const tasks = Array.from({ length: n }, (_, i) => ex.spawn(`receiver ${i}`, ch.recv()));
    runQueue(ex);
    for (const v of values) ch.send(v);
    ch.close();
    runQueue(ex);
    expect(
      ex.stalled(),
      `close() should wake every waiting receiver (${n} were waiting), and each then returns END. ${lostHelp(ex)}`,
    ).toEqual([]);
    expect(tasks.map((t) => t.done && t.result), `the ${sent} value(s) sent first, then END for the rest (seed ${seed})`).toEqual([
      ...values,
      ...Array.from({ length: n - sent }, () => END),
    ]);
    for (const t of tasks) expect(t.polls, `${t.name}: woken once`).toBe(2);
    const late = ex.spawn('late', ch.recv());
    runQueue(ex);
    expect(late.done && late.result, 'a receive on a closed, empty channel is END at once').toBe(END);
    expect(() => ch.send('too late'), 'send on a closed channel throws').toThrow(/closed/);
  }
});

test('polled by another task, a receiver moves its waker and keeps one place', () => {
  const ch = new Channel<string>();
  const fut = ch.recv();
  const [a, b, other] = [spyWaker('task A'), spyWaker('task B'), spyWaker('other receiver')];
  const second = ch.recv();
  expect(pollWith(fut, a).ready).toBe(false);
  expect(pollWith(fut, b).ready, 'still empty: Pending').toBe(false);
  expect(pollWith(fut, b).ready, 'polled again by the same task: Pending').toBe(false);
  expect(pollWith(second, other).ready).toBe(false);
  ch.send('one');
  expect(
    [a.wakes, b.wakes, other.wakes],
    'the receiver was last polled by task B, so send wakes B (the waker in its entry was replaced), not A',
  ).toEqual([0, 1, 0]);
  expect(b.clones, 'task B polled twice; the second time its stored waker already wakes B (willWakeSame), so no new clone').toBe(1);
  ch.send('two');
  expect(
    other.wakes,
    'the second send should wake the other waiting receiver: a receiver polled three times must still hold one ' +
      'place in the list of waiters, not three',
  ).toBe(1);
  expect(pollWith(fut, b)).toEqual({ ready: true, value: 'one' });
  expect(pollWith(second, other)).toEqual({ ready: true, value: 'two' });
});

test('a dropped receiver gives up its place', () => {
  for (const seed of SEEDS) {
    const ch = new Channel<unknown>();
    const [value] = valuesFor(seed, 1);
    const [a, b, c] = [spyWaker('dropped'), spyWaker('waiting'), spyWaker('also waiting')];
    const gone = ch.recv();
    const stays = ch.recv();
    const third = ch.recv();
    pollWith(gone, a);
    pollWith(stays, b);
    pollWith(third, c);
    expect(typeof gone.drop, 'the recv() future needs a drop() method').toBe('function');
    gone.drop?.();
    gone.drop?.();
    ch.send(value);
    expect(
      [a.wakes, b.wakes],
      'the first receiver was dropped (cancelled) before the send: the wake must go to the one still waiting, ' +
        'or the value sits in the channel while its receiver sleeps',
    ).toEqual([0, 1]);
    expect(pollWith(stays, b)).toEqual({ ready: true, value });
    ch.recv().drop?.(); // never polled: it holds no place, so dropping it touches nobody else's
    ch.send('next');
    expect(c.wakes, 'the next send wakes the third receiver, still in its place').toBe(1);
    ch.close();
    expect(a.wakes, 'a dropped receiver is never woken again').toBe(0);
  }
});

test('a receiver woken by send and dropped before it polls again passes the wake on', () => {
  for (const seed of SEEDS) {
    const ch = new Channel<unknown>();
    const values = valuesFor(seed, 2);
    const spies = [spyWaker('woken, then dropped'), spyWaker('next in line'), spyWaker('last in line')];
    const futs = spies.map(() => ch.recv());
    futs.forEach((f, i) => pollWith(f, spies[i]!));
    ch.send(values[0]);
    expect(spies.map((s) => s.wakes), 'send wakes the receiver that waited longest, and only it').toEqual([1, 0, 0]);
    futs[0]!.drop?.();
    expect(
      spies.map((s) => s.wakes),
      'the receiver send() woke was dropped before it took the value: the value is still queued, so the wake must ' +
        'pass to the next waiting receiver (as tokio::sync::Notify does), or it sits there while everyone sleeps',
    ).toEqual([1, 1, 0]);
    expect(pollWith(futs[1]!, spies[1]!)).toEqual({ ready: true, value: values[0] });
    ch.send(values[1]);
    expect(spies[2]!.wakes, 'the next send wakes the last receiver').toBe(1);
    // A receiver that was woken, polled and got its value has nothing to pass on when dropped.
    expect(pollWith(futs[2]!, spies[2]!)).toEqual({ ready: true, value: values[1] });
    const late = [spyWaker('late one'), spyWaker('late two')];
    const lateFuts = late.map(() => ch.recv());
    lateFuts.forEach((f, i) => pollWith(f, late[i]!));
    futs[2]!.drop?.();
    futs[1]!.drop?.();
    expect(late.map((s) => s.wakes), 'dropping receivers that already got their value wakes nobody').toEqual([0, 0]);
  }
});

test('two receivers polled by one task each keep a place of their own', () => {
  for (const seed of SEEDS) {
    const [v1, v2] = valuesFor(seed, 2);
    const ch = new Channel<unknown>();
    // One task (one waker) waits on two receivers, as a join or a select over them would.
    const [task, other] = [spyWaker('task with two receivers'), spyWaker('other task')];
    const first = ch.recv();
    const second = ch.recv();
    const third = ch.recv();
    pollWith(first, task);
    pollWith(second, task);
    pollWith(third, other);
    first.drop?.(); // the task gives up on its first receiver
    ch.send(v1); // the oldest still waiting is `second`
    expect(
      [task.wakes, other.wakes],
      'after the first receiver was dropped, the oldest receiver still waiting is the task\'s second one: it needs an ' +
        'entry of its own, even though the same task (the same waker) polled the first',
    ).toEqual([1, 0]);
    expect(pollWith(second, task), `the second receiver gets the value (seed ${seed})`).toEqual({ ready: true, value: v1 });
    ch.send(v2);
    expect(other.wakes, 'the next send wakes the other task').toBe(1);
    expect(pollWith(third, other)).toEqual({ ready: true, value: v2 });
  }
});

test('a receiver that got its value without a wake leaves the list', () => {
  const ch = new Channel<string>();
  const [a, b] = [spyWaker('A'), spyWaker('B')];
  const ra = ch.recv();
  const rb = ch.recv();
  pollWith(ra, a);
  pollWith(rb, b);
  ch.send('first'); // wakes A
  // Before A runs, B happens to be polled (say a sibling in a join woke its task) and takes the value.
  expect(pollWith(rb, b)).toEqual({ ready: true, value: 'first' });
  expect(pollWith(ra, a).ready, 'A was woken but B took the value: A waits again').toBe(false);
  ch.send('second');
  expect(
    a.wakes,
    'B returned Ready, so its entry must leave the list of waiters; otherwise this send wakes finished B instead of ' +
      'A, which is still waiting',
  ).toBe(2);
  expect(pollWith(ra, a)).toEqual({ ready: true, value: 'second' });
});

test('waits only through wakers', () => {
  const found = banned(
    new URL('./lost_wakeup.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'a receiver waits by leaving its waker with the channel and returning Pending',
  );
  expect(found, found.join('\n')).toEqual([]);
});
