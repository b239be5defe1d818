import { expect, test } from 'vitest';
import { banned, pollWith, seeded, sleepUntil, spyWaker, SEEDS, VirtualReactor, type Rng } from 'async-lessons/harness';
import { Pending, Ready } from '../_lib/future';
import { DumpExecutor, FetchTwo, Join, Select, type Traced } from './task_dump';

/** A leaf that is Ready at virtual time `at`, and describes itself as `label`. */
function leaf(reactor: VirtualReactor, label: string, at: number, value = label): Traced<string> {
  const timer = sleepUntil(reactor, at);
  return {
    poll: (cx) => (timer.poll(cx).ready ? Ready(value) : Pending),
    drop: () => timer.drop(),
    describe: () => label,
  };
}
const sleepLeaf = (r: VirtualReactor, until: number) => leaf(r, `Sleep(until=${until})`, until);
const readLeaf = (r: VirtualReactor, fd: number, at: number) => leaf(r, `Read(fd=${fd})`, at);
/** Returns Pending and arranges no wake: the classic lost wakeup. */
const forgot = (label = 'Forgot'): Traced<never> => ({ poll: () => Pending, describe: () => label });

/** The scripted scenario: five tasks, spawned in a seeded order, and what each should say at t=100. */
function scenario(rng: Rng, withLost: boolean) {
  const reactor = new VirtualReactor();
  const fds = rng.distinct(4, 3, 40);
  const atA = rng.int(20, 90);
  const atB = rng.int(150, 400);
  const fetchTwo = () => new FetchTwo((key) => (key === 'a' ? readLeaf(reactor, fds[0]!, atA) : readLeaf(reactor, fds[1]!, atB)), 'a', 'b');
  const longSleep = rng.int(300, 600);
  const raceSleep = rng.int(200, 500);
  const raceRead = rng.int(200, 500);
  const specs: Array<{ name: string; make: () => Traced<unknown>; at100: string | undefined; lost?: boolean }> = [
    { name: `user-${rng.int(1, 99)}`, make: fetchTwo, at100: `FetchTwo[AwaitB](Read(fd=${fds[1]}))` },
    rng.int(0, 1) === 0
      ? { name: 'both', make: () => new Join(sleepLeaf(reactor, longSleep), sleepLeaf(reactor, rng.int(30, 90))), at100: `Join(Sleep(until=${longSleep}), done)` }
      : { name: 'both', make: () => new Join(sleepLeaf(reactor, rng.int(30, 90)), sleepLeaf(reactor, longSleep)), at100: `Join(done, Sleep(until=${longSleep}))` },
    {
      name: 'race',
      make: () => new Select(sleepLeaf(reactor, raceSleep), readLeaf(reactor, fds[2]!, raceRead)),
      at100: `Select(Sleep(until=${raceSleep}), Read(fd=${fds[2]}))`,
    },
    { name: 'quick', make: () => sleepLeaf(reactor, rng.int(10, 60)), at100: undefined },
  ];
  if (withLost) {
    // What a lost task says about itself is up to its future: only the executor can tell it is lost.
    const label = rng.pick(['Forgot', `Recv(chan=${rng.int(1, 9)})`, `Acquire(permits=${rng.int(1, 4)})`, 'Pending']);
    specs.push({ name: `${rng.pick(['idle', 'worker', 'poller', 'conn'])}-${rng.int(1, 99)}`, make: () => forgot(label), at100: label, lost: true });
  }
  const order = rng.shuffle(specs);
  const exec = new DumpExecutor(reactor);
  const expected: string[] = [];
  let raceId = 0;
  for (const spec of order) {
    const id = exec.spawn(spec.name, spec.make());
    if (spec.name === 'race') raceId = id;
    if (spec.at100 !== undefined) expected.push(`#${id} ${spec.name}: ${spec.at100}${spec.lost === true ? ' (no waker registered!)' : ''}`);
  }
  return { reactor, exec, expected, raceId, raceEnds: Math.min(raceSleep, raceRead) };
}

test('the dump at t=100 says what each waiting task waits for', () => {
  for (const seed of SEEDS) {
    const { reactor, exec, expected } = scenario(seeded(seed), true);
    exec.runReady();
    reactor.advance(100);
    exec.runReady();
    expect(
      exec.dump(),
      `at t=100 the dump should list every task that has not finished, by id, as "#<id> <name>: <describe()>" (seed ${seed}). ` +
        'A finished Join child is "done"; FetchTwo names its state and the read it waits for.',
    ).toEqual(expected);
    expect(reactor.pendingTimers, 'four leaves are still waiting at t=100 (the second read, the long sleep, both racers)').toBe(4);
  }
});

test('when every task has finished, the dump is empty', () => {
  for (const seed of SEEDS.slice(0, 4)) {
    const { reactor, exec, raceId, raceEnds } = scenario(seeded(seed), false);
    exec.runReady();
    for (let turns = 0; turns < 50 && reactor.turn(); turns++) {
      exec.runReady();
      const listed = exec.dump().some((line) => line.startsWith(`#${raceId} `));
      expect(listed, `at t=${reactor.now} the race (first racer done at ${raceEnds}) should ${reactor.now < raceEnds ? 'still' : 'no longer'} be listed`).toBe(reactor.now < raceEnds);
    }
    expect(exec.dump(), `every task has finished, so no line is left (seed ${seed})`).toEqual([]);
  }
});

test('only a task nothing will wake is flagged', () => {
  const reactor = new VirtualReactor();
  const exec = new DumpExecutor(reactor);
  exec.spawn('queued', sleepLeaf(reactor, 50));
  expect(exec.dump(), 'a task spawned but not polled yet is in the run queue: it will be polled, so it is not lost').toEqual(['#1 queued: Sleep(until=50)']);
  exec.spawn('lost', forgot());
  let yields = 0;
  exec.spawn('yields', {
    poll: (cx) => {
      yields += 1;
      if (yields === 1) cx.waker.wake(); // woken during its own poll: queued again
      return yields > 1 ? Ready('y') : Pending;
    },
    describe: () => 'YieldNow',
  });
  exec.spawn('half', new Join(forgot(), sleepLeaf(reactor, 70)));
  exec.spawn('decoy', leaf(reactor, 'Forgot', 90)); // says Forgot, but a timer will wake it
  const first = exec.tasks.map((t) => t.id);
  expect(first, 'ids count from 1 in spawn order').toEqual([1, 2, 3, 4, 5]);
  // Poll each once, stopping before the self-woken task's second poll.
  for (let n = 0; n < 5; n++) {
    const task = exec.queue.shift();
    if (task === undefined) break;
    task.queued = false;
    if (task.fut.poll({ waker: task.waker }).ready) task.finished = true;
  }
  expect(exec.dump(), 'after one poll each: only "lost" holds no registration and is not queued (what a future says about itself does not tell; "decoy" waits on a timer)').toEqual([
    '#1 queued: Sleep(until=50)',
    '#2 lost: Forgot (no waker registered!)',
    '#3 yields: YieldNow',
    '#4 half: Join(Forgot, Sleep(until=70))',
    '#5 decoy: Forgot',
  ]);
});

test('the executor polls a task once per batch of wakes, and never after it finished', () => {
  const reactor = new VirtualReactor();
  const exec = new DumpExecutor(reactor);
  let polls = 0;
  const same: boolean[] = [];
  let kept: { wake(): void } | undefined;
  exec.spawn('twice', {
    poll: (cx) => {
      polls += 1;
      same.push(cx.waker.willWakeSame(cx.waker.clone()));
      kept = cx.waker;
      if (polls === 1) {
        cx.waker.wake();
        cx.waker.wake();
        return Pending;
      }
      return Ready('done');
    },
    describe: () => 'Twice',
  });
  exec.runReady();
  kept?.wake(); // a late wake for a finished task
  exec.runReady();
  expect(polls, 'two wakes before the next poll give one poll; a wake after Ready gives none').toBe(2);
  expect(same, "a task's waker and its clone wake the same task").toEqual([true, true]);
  expect(exec.dump(), 'and the finished task is not listed').toEqual([]);
});

type Node = { kind: 'sleep'; at: number } | { kind: 'read'; fd: number; at: number } | { kind: 'join' | 'select'; a: Node; b: Node } | { kind: 'fetch'; fd: number; at: number };

function tree(rng: Rng, depth: number): Node {
  const k = depth === 0 ? rng.pick(['sleep', 'read', 'fetch'] as const) : rng.pick(['sleep', 'read', 'fetch', 'join', 'select', 'join', 'select'] as const);
  if (k === 'join' || k === 'select') return { kind: k, a: tree(rng, depth - 1), b: tree(rng, depth - 1) };
  if (k === 'sleep') return { kind: k, at: rng.int(10, 999) };
  return { kind: k, fd: rng.int(3, 60), at: rng.int(10, 999) };
}

function build(r: VirtualReactor, n: Node): Traced<unknown> {
  switch (n.kind) {
    case 'sleep':
      return sleepLeaf(r, n.at);
    case 'read':
      return readLeaf(r, n.fd, n.at);
    case 'fetch':
      return new FetchTwo(() => readLeaf(r, n.fd, n.at), 'a', 'b');
    case 'join':
      return new Join(build(r, n.a), build(r, n.b));
    case 'select':
      return new Select(build(r, n.a), build(r, n.b));
  }
}

/** The check's own reading of a tree where nothing has finished yet. */
function said(n: Node): string {
  switch (n.kind) {
    case 'sleep':
      return `Sleep(until=${n.at})`;
    case 'read':
      return `Read(fd=${n.fd})`;
    case 'fetch':
      return `FetchTwo[AwaitA](Read(fd=${n.fd}))`;
    case 'join':
      return `Join(${said(n.a)}, ${said(n.b)})`;
    case 'select':
      return `Select(${said(n.a)}, ${said(n.b)})`;
  }
}

test('describe recurses through any nesting', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    for (let i = 0; i < 4; i++) {
      const reactor = new VirtualReactor();
      const shape = tree(rng, 3);
      const fut = build(reactor, shape);
      expect(fut.describe(), `before its first poll (seed ${seed}, tree ${i})`).toBe(said(shape));
      pollWith(fut, spyWaker('t'));
      expect(fut.describe(), `each combinator describes itself, then the children it still waits for (seed ${seed}, tree ${i})`).toBe(said(shape));
    }
  }
});

test('describe only reads: it starts nothing and polls nothing', () => {
  const reactor = new VirtualReactor();
  let opens = 0;
  let polls = 0;
  const counted = (t: Traced<string>): Traced<string> => ({
    poll: (cx) => ((polls += 1), t.poll(cx)),
    drop: () => t.drop?.(),
    describe: () => t.describe(),
  });
  const fetch = new FetchTwo((key) => ((opens += 1), counted(readLeaf(reactor, key === 'a' ? 5 : 8, key === 'a' ? 10 : 20))), 'a', 'b');
  const fut = new Select(new Join(fetch, counted(sleepLeaf(reactor, 50))), counted(sleepLeaf(reactor, 70)));
  const spy = spyWaker('t');
  const look = (when: string, wantOpens: number) => {
    const before = [polls, reactor.pendingTimers];
    const said = [fut.describe(), fut.describe(), fut.describe()];
    expect(said[1], `describe() should say the same each time it is asked (${when})`).toBe(said[0]);
    expect(
      [opens, polls, reactor.pendingTimers],
      `describe() ${when} should only read the state: no open() of a new read, no poll, no new timer ([opens, polls, timers])`,
    ).toEqual([wantOpens, ...before]);
    return said[0];
  };
  expect(look('before the first poll', 1)).toBe('Select(Join(FetchTwo[AwaitA](Read(fd=5)), Sleep(until=50)), Sleep(until=70))');
  pollWith(fut, spy);
  look('after the first poll', 1);
  reactor.advance(10);
  pollWith(fut, spy);
  expect(look('once FetchTwo waits for its second read', 2)).toBe('Select(Join(FetchTwo[AwaitB](Read(fd=8)), Sleep(until=50)), Sleep(until=70))');
});

test('a finished FetchTwo says Done', () => {
  const reactor = new VirtualReactor();
  const f = new FetchTwo((key) => readLeaf(reactor, key === 'a' ? 4 : 9, key === 'a' ? 10 : 20), 'a', 'b');
  const spy = spyWaker('t');
  pollWith(f, spy);
  expect(f.describe()).toBe('FetchTwo[AwaitA](Read(fd=4))');
  reactor.advance(10);
  pollWith(f, spy);
  expect(f.describe(), 'after the first read: the state and the second read').toBe('FetchTwo[AwaitB](Read(fd=9))');
  reactor.advance(10);
  expect(pollWith(f, spy).ready).toBe(true);
  expect(f.describe(), 'finished: nothing to wait for').toBe('FetchTwo[Done]');
  expect(() => pollWith(f, spy), 'and it refuses another poll').toThrow();
});

test('no any, casts or ts directives', () => {
  const findings = banned(new URL('./task_dump.ts', import.meta.url), ['any', 'as', 'ts-directives']);
  expect(findings, findings.join('\n')).toEqual([]);
});
