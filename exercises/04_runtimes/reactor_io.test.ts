import { expect, test } from 'vitest';
import { SEEDS, SpinDetected, TestExecutor, VirtualReactor, banned, pollWith, seeded, spyWaker, type TaskHandle } from 'async-lessons/harness';
import { LineReader } from './reactor_io';

/** runUntilStalled, turning a SpinDetected into an explanation. */
function runQueue(ex: TestExecutor): void {
  try {
    ex.runUntilStalled({ maxPolls: 100 });
  } catch (error) {
    if (error instanceof SpinDetected) {
      throw new Error(
        'readLine kept asking to be polled again although no data had arrived: on WOULD_BLOCK it should ' +
          `hand a clone of cx.waker to reactor.registerReadable(sock.fd, waker) and return Pending.\n${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Data arrives: push it, let the reactor deliver readiness, run the woken tasks. */
function deliver(reactor: VirtualReactor, ex: TestExecutor, push: () => void): void {
  push();
  reactor.turn();
  runQueue(ex);
}

function word(rng: ReturnType<typeof seeded>, n: number): string {
  return Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[rng.int(0, 25)]).join('');
}

test('waits for readiness instead of retrying', () => {
  const reactor = new VirtualReactor();
  const sock = reactor.socket();
  const ex = new TestExecutor({ reactor });
  const task = ex.spawn('reader', new LineReader(sock, reactor).readLine());
  runQueue(ex);
  expect(task.done, 'no data has arrived, so the line cannot be ready').toBe(false);
  expect(task.wokeDuringPoll, 'readLine woke itself during its poll: that asks for an immediate re-poll, a busy loop').toBe(0);
  expect(task.polls, 'with no data, readLine should be polled once and then wait').toBe(1);
  expect(
    reactor.interestCount(sock.fd),
    'after WOULD_BLOCK, readLine should have registered its waker with reactor.registerReadable(sock.fd, …)',
  ).toBe(1);
  expect(sock.reads, 'one tryRead (which said WOULD_BLOCK) is all the first poll needs').toBe(1);
});

test('reads at most twice per readiness event', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const sock = reactor.socket();
    const ex = new TestExecutor({ reactor });
    const line = word(rng, rng.int(6, 20));
    const cut = rng.int(1, line.length - 1);
    const task = ex.spawn('reader', new LineReader(sock, reactor).readLine());
    runQueue(ex);
    deliver(reactor, ex, () => sock.push(line.slice(0, cut)));
    deliver(reactor, ex, () => sock.markReadable()); // a spurious wakeup: readable, but no data
    deliver(reactor, ex, () => sock.push(`${line.slice(cut)}\n`));
    expect(task.done && task.result, `the line "${line}" should have been read (seed ${seed})`).toBe(line);
    expect(
      sock.reads,
      `${sock.events} readiness events, so at most ${2 * sock.events + 1} tryRead calls: one at the start, and per ` +
        'event the reads until a full line or WOULD_BLOCK (seed ' + seed + ')',
    ).toBeLessThanOrEqual(2 * sock.events + 1);
    expect(task.polls, 'one poll to start and one per readiness event').toBe(1 + sock.events);
    expect(task.wokeDuringPoll, 'readLine should never wake itself').toBe(0);
  }
});

test('drains the socket before waiting again', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    // A small read buffer: one tryRead returns at most readSize characters.
    const readSize = rng.int(1, 4);
    const sock = reactor.socket(undefined, { readSize });
    const ex = new TestExecutor({ reactor });
    const reader = new LineReader(sock, reactor);
    const line = word(rng, rng.int(readSize + 3, 24));
    const task = ex.spawn('reader', reader.readLine());
    runQueue(ex);
    // The whole line arrives in one event, in 1 to 3 pushes.
    const cut = rng.int(1, line.length - 1);
    deliver(reactor, ex, () => {
      if (rng.int(0, 1) === 0) sock.push(`${line}\n`);
      else {
        sock.push(line.slice(0, cut));
        sock.push(`${line.slice(cut)}\n`);
      }
    });
    expect(
      task.done && task.result,
      `"${line}\\n" arrived in one readiness event, but a read returns at most ${readSize} character(s) and ` +
        `${sock.buffered} are still in the socket. This reactor is edge-triggered (like epoll's EPOLLET, or mio): ` +
        'it reports new data once, and data left unread makes no new event, so a reader that waits again before ' +
        'tryRead said WOULD_BLOCK waits forever. When woken, keep reading until a full line or WOULD_BLOCK ' +
        `(seed ${seed})`,
    ).toBe(line);
    expect(task.polls, 'one poll to start and one for the event').toBe(2);
    // Then a second line in pieces over two events, the first piece longer than one read.
    const next = word(rng, rng.int(readSize * 2 + 1, 20));
    const t2 = ex.spawn('second', reader.readLine());
    runQueue(ex);
    const split = rng.int(readSize + 1, next.length - 1);
    deliver(reactor, ex, () => sock.push(next.slice(0, split)));
    expect(t2.done, `"${next.slice(0, split)}" has no newline yet`).toBe(false);
    expect(
      sock.buffered,
      'after an event the reader should have read the socket empty (until WOULD_BLOCK) before waiting again: ' +
        `${sock.buffered} character(s) were left unread, and no event will come for them`,
    ).toBe(0);
    deliver(reactor, ex, () => sock.push(`${next.slice(split)}\n`));
    expect(t2.done && t2.result, `the second line "${next}" comes back whole (seed ${seed})`).toBe(next);
    expect(sock.wouldBlocks, 'one WOULD_BLOCK per wait, no more: the reader reads only until it has a line or WOULD_BLOCK').toBeLessThanOrEqual(sock.events + 2);
  }
});

test('polled by another task, it moves its registration', () => {
  const reactor = new VirtualReactor();
  const sock = reactor.socket();
  const fut = new LineReader(sock, reactor).readLine();
  const first = spyWaker('first task');
  const second = spyWaker('second task');
  expect(pollWith(fut, first).ready, 'no data yet: Pending').toBe(false);
  expect(pollWith(fut, second).ready, 'still no data: Pending').toBe(false);
  expect(
    reactor.interestCount(sock.fd),
    'the future was polled by a second task: its waker should replace the first task\'s registration, not sit ' +
      'beside it (deregister the old waker when cx.waker would not wake the same task; Rust: Waker::will_wake)',
  ).toBe(1);
  sock.push('moved\n');
  reactor.turn();
  expect([first.wakes, second.wakes], 'data arrives: only the task that polled last is woken').toEqual([0, 1]);
  expect(pollWith(fut, second), 'and it gets the line').toEqual({ ready: true, value: 'moved' });
  const again = new LineReader(sock, reactor).readLine();
  pollWith(again, first);
  pollWith(again, second);
  again.drop?.();
  expect(reactor.interestCount(sock.fd), 'dropping it after two tasks polled it leaves no registration behind').toBe(0);
});

test('readiness on fd 4 wakes only the fd 4 task', () => {
  const reactor = new VirtualReactor();
  const s3 = reactor.socket(3);
  const s4 = reactor.socket(4);
  const ex = new TestExecutor({ reactor });
  const t3 = ex.spawn('fd3', new LineReader(s3, reactor).readLine());
  const t4 = ex.spawn('fd4', new LineReader(s4, reactor).readLine());
  runQueue(ex);
  expect(ex.trace, 'both readers are polled once to start').toEqual(['fd3', 'fd4']);
  deliver(reactor, ex, () => s4.push('hello\n'));
  expect(ex.trace, 'data on fd 4 should wake only the task reading fd 4').toEqual(['fd3', 'fd4', 'fd4']);
  expect(t4.done && t4.result, 'the fd 4 reader gets its line').toBe('hello');
  expect(t3.done, 'the fd 3 reader is still waiting').toBe(false);
  expect(reactor.interestCount(3), 'and it is still registered for fd 3').toBe(1);
});

test('a line split across three events is put back together', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const sock = reactor.socket();
    const ex = new TestExecutor({ reactor });
    const line = word(rng, rng.int(9, 30));
    const [a = 1, b = 2] = rng.distinct(2, 1, line.length - 1).sort((x, y) => x - y);
    const task = ex.spawn('reader', new LineReader(sock, reactor).readLine());
    runQueue(ex);
    deliver(reactor, ex, () => sock.push(line.slice(0, a)));
    expect(task.done, `"${line.slice(0, a)}" has no newline yet, so it is not a line`).toBe(false);
    deliver(reactor, ex, () => sock.push(line.slice(a, b)));
    expect(task.done, `"${line.slice(0, b)}" has no newline yet, so it is not a line`).toBe(false);
    deliver(reactor, ex, () => sock.push(`${line.slice(b)}\n`));
    expect(
      task.done && task.result,
      `the pieces "${line.slice(0, a)}", "${line.slice(a, b)}" and "${line.slice(b)}\\n" should come back as one ` +
        `line "${line}": keep what you read in a buffer until a "\\n" arrives (seed ${seed})`,
    ).toBe(line);
  }
});

test('two lines in one event: the second needs no new event', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const sock = reactor.socket();
    const ex = new TestExecutor({ reactor });
    const reader = new LineReader(sock, reactor);
    const [first, second] = [word(rng, rng.int(3, 12)), word(rng, rng.int(3, 12))];
    const t1 = ex.spawn('first', reader.readLine());
    runQueue(ex);
    deliver(reactor, ex, () => sock.push(`${first}\n${second}\n`));
    expect(t1.done && t1.result, `the first line is "${first}" (seed ${seed})`).toBe(first);
    const events = sock.events;
    const t2: TaskHandle<string> = ex.spawn('second', reader.readLine());
    runQueue(ex);
    expect(
      t2.done && t2.result,
      `"${second}" arrived together with the first line; the next readLine() should return it at once from ` +
        `the reader's buffer, without waiting for another event (seed ${seed})`,
    ).toBe(second);
    expect(sock.events, 'no new readiness event was needed').toBe(events);
  }
});

test('a Ready line leaves no registration behind', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const sock = reactor.socket();
    const fut = new LineReader(sock, reactor).readLine();
    const spy = spyWaker('reader');
    expect(pollWith(fut, spy).ready, 'no data yet: Pending (and registered)').toBe(false);
    const line = word(rng, rng.int(3, 12));
    // The data is there, and the task happens to be polled again (say a sibling in a join woke it)
    // before the reactor turned.
    sock.push(`${line}\n`);
    expect(pollWith(fut, spy), `the line "${line}" is read without waiting for the event`).toEqual({ ready: true, value: line });
    expect(
      reactor.interestCount(sock.fd),
      'readLine returned Ready while its registration was still with the reactor: remove it (deregisterReadable) ' +
        'before returning Ready, or the next event wakes a task that no longer waits for this read',
    ).toBe(0);
    sock.push('later\n');
    reactor.turn();
    expect(spy.wakes, `nothing wakes the task afterwards (seed ${seed})`).toBe(0);
  }
});

test('drop() removes the registration', () => {
  const reactor = new VirtualReactor();
  const sock = reactor.socket();
  const fut = new LineReader(sock, reactor).readLine();
  const spy = spyWaker('reader');
  expect(pollWith(fut, spy).ready, 'no data yet: Pending').toBe(false);
  expect(
    reactor.interestCount(sock.fd),
    'after a Pending poll (WOULD_BLOCK), readLine should have registered with reactor.registerReadable',
  ).toBe(1);
  expect(typeof fut.drop, 'the readLine future needs a drop() method').toBe('function');
  fut.drop?.();
  expect(
    reactor.interestCount(sock.fd),
    'a dropped (cancelled) readLine must remove its registration: reactor.deregisterReadable(sock.fd, waker)',
  ).toBe(0);
  fut.drop?.();
  sock.push('late\n');
  reactor.turn();
  expect(spy.wakes, 'a dropped future must not be woken when data arrives later').toBe(0);
});

test('on an executor that never turns this reactor it stalls', () => {
  const reactor = new VirtualReactor();
  const sock = reactor.socket();
  // An executor from "another runtime": it has no idea this reactor exists.
  const foreign = new TestExecutor();
  const task = foreign.spawn('reader', new LineReader(sock, reactor).readLine());
  runQueue(foreign);
  sock.push('data\n');
  foreign.run();
  expect(task.done, 'nobody turned the reactor, so nobody told the reader that data arrived').toBe(false);
  expect(
    foreign.stalled(),
    'the foreign executor should see a Pending task whose waker it cannot reach: it sits in a reactor the ' +
      'executor never turns. That is how an IO future depends on its own runtime.',
  ).toEqual(['reader']);
  reactor.turn(); // the right runtime would do this
  runQueue(foreign);
  expect(task.done && task.result, 'once the reactor turns, the reader is woken and gets its line').toBe('data');
});

test('uses only the reactor to wait', () => {
  const found = banned(
    new URL('./reactor_io.ts', import.meta.url),
    ['Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons', 'import:../_lib/runtime'],
    'readLine waits through the reactor: register the waker, return Pending',
  );
  expect(found, found.join('\n')).toEqual([]);
});
