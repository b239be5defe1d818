import { expect, test } from 'vitest';
import { END, SEEDS, TestExecutor, VirtualReactor, banned, pollNextWith, seeded, sleepUntil, spyWaker, type Context, type Future, type Poll, type TaskHandle } from 'async-lessons/harness';
import { END as LIB_END, type Stream as LibStream } from '../_lib/future';
import { BorrowError, SyncCell, moderate } from '../_lib/quiz2_service';
import { Broadcast, Handler, type RoomStats, type Service } from './quiz2_debug_the_service';

/** A client: reads lines from its subscription until END. */
// The subscription is the course library's Stream: its END is the same Symbol.for value as the
// harness's, but a type of its own (a learner's editor, reading both declarations, tells them apart).
function client(sub: LibStream<string>): Future<string[]> {
  const got: string[] = [];
  return {
    poll(cx: Context): Poll<string[]> {
      for (;;) {
        const p = sub.pollNext(cx);
        if (!p.ready) return { ready: false };
        if (p.value === LIB_END) return { ready: true, value: got };
        got.push(p.value as string);
      }
    },
  };
}

interface Arrival {
  at: number;
  from: string;
  text: string;
}

/** Spawns a Handler per arrival at its time, waits for all of them, then closes the room. */
function arrivals(ex: TestExecutor, svc: Service, list: Arrival[]): Future<void> {
  let i = 0;
  let wait: Future<void> | undefined;
  const handles: Array<TaskHandle<string>> = [];
  return {
    poll(cx: Context): Poll<void> {
      while (i < list.length) {
        const a = list[i] as Arrival;
        wait ??= sleepUntil(svc.reactor as VirtualReactor, a.at);
        if (!wait.poll(cx).ready) return { ready: false };
        wait = undefined;
        handles.push(ex.spawn(`handler ${i} (${a.from})`, new Handler(svc, a.from, a.text)));
        i += 1;
      }
      for (const h of handles) if (!h.poll(cx).ready) return { ready: false };
      svc.room.close();
      return { ready: true, value: undefined };
    },
  };
}

const WORDS = ['hi', 'spam', 'lunch?', 'scam', 'ok', 'SPAM', 'see you', 'deploy', 'done'];

function scenario(seed: number, clients = 50) {
  const rng = seeded(seed);
  const reactor = new VirtualReactor();
  const room = new Broadcast<string>();
  const stats = new SyncCell<RoomStats>({ messages: 0, lastFrom: '' });
  const svc: Service = { reactor, room, stats, moderationMs: rng.int(100, 300), saveMs: rng.int(5, 40) };
  const published: string[] = [];
  const publish = room.publish.bind(room);
  room.publish = (line: string) => {
    published.push(line);
    publish(line);
  };
  const ex = new TestExecutor({ reactor });
  const slow: string[] = [];
  ex.onPoll((e) => {
    if (e.endedAt - e.startedAt > 50) slow.push(`${e.task}: ${e.endedAt - e.startedAt} ms`);
  });
  const readers = Array.from({ length: clients }, (_, k) => ex.spawn(`client ${k}`, client(room.subscribe())));
  const n = rng.int(5, 12);
  let t = 0;
  const list: Arrival[] = Array.from({ length: n }, (_, k) => {
    t += rng.int(0, 1) === 0 ? 0 : rng.int(1, 60); // bursts: several messages at the same moment
    return { at: t, from: `user${rng.int(1, 9)}`, text: `${WORDS[rng.int(0, WORDS.length - 1)]} #${k}` };
  });
  const driver = ex.spawn('arrivals', arrivals(ex, svc, list));
  return { svc, ex, readers, driver, list, published, slow, reactor, stats };
}

function runService(ex: TestExecutor): void {
  try {
    ex.run({ maxPolls: 20_000 });
  } catch (error) {
    if (error instanceof BorrowError) {
      throw new Error(
        'a Handler threw BorrowError: two handlers held the stats guard at once. One borrowed it, then waited (the ' +
          'save) with the guard still alive, and the next one could not borrow. Borrow, update and release within ' +
          `one poll; borrow again after the wait if you need to.\n${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}

test('naive: one client, one message (this passes even with the bugs)', () => {
  const reactor = new VirtualReactor();
  const room = new Broadcast<string>();
  const stats = new SyncCell<RoomStats>({ messages: 0, lastFrom: '' });
  const svc: Service = { reactor, room, stats, moderationMs: 100, saveMs: 10 };
  const ex = new TestExecutor({ reactor });
  const reader = ex.spawn('client', client(room.subscribe()));
  const handler = new Handler(svc, 'ann', 'no spam please');
  const h = ex.spawn('handler', handler);
  ex.run();
  room.close();
  ex.run();
  expect(h.done && h.result).toBe('ann: no **** please');
  expect(reader.done && reader.result).toEqual(['ann: no **** please']);
  expect(() => handler.poll({ waker: spyWaker().waker }), 'a finished Handler must not be polled again').toThrow(/after it returned Ready/);
  expect(() => room.publish('late'), 'publish on a closed room throws').toThrow(/closed/);
});

test('50 clients: every client receives every line, in order', () => {
  for (const seed of SEEDS) {
    const { ex, readers, list, published, driver } = scenario(seed);
    runService(ex);
    expect(driver.done, `every handler finishes and the room is closed (seed ${seed})`).toBe(true);
    expect([...published].sort(), 'one line per message: "<from>: <moderated text>"').toEqual(list.map((a) => `${a.from}: ${moderate(a.text)}`).sort());
    const missing = readers.filter((r) => !r.done).map((r) => r.name);
    expect(
      missing,
      `${missing.length} of ${readers.length} clients never finished: they returned Pending and were never woken. ` +
        `How many wakers can the room hold at once? (seed ${seed})\n${ex.explainStalled()}`,
    ).toEqual([]);
    for (const r of readers) expect(r.result, `${r.name} receives every line, in the order published (seed ${seed})`).toEqual(published);
  }
});

test('no task is left waiting for a wake that never comes', () => {
  for (const seed of SEEDS) {
    const { ex } = scenario(seed, 2 + (seed % 5));
    runService(ex);
    expect(ex.stalled(), `every task returned Pending only with its waker in good hands (seed ${seed})\n${ex.explainStalled()}`).toEqual([]);
    expect(ex.liveTasks, 'and every task finished').toBe(0);
  }
});

test('no poll blocks the event loop, and timers fire on time', () => {
  for (const seed of SEEDS) {
    const { ex, slow, reactor, svc } = scenario(seed, 5);
    runService(ex);
    expect(
      slow,
      `these polls took more than 50 ms of the thread's time. Moderating a message takes ${svc.moderationMs} ms of CPU: ` +
        `run it with spawnBlocking and wait for it, instead of doing it inside poll (seed ${seed})`,
    ).toEqual([]);
    expect(reactor.maxTimerLateness, 'a timer fired late because the thread was busy: something blocks inside a poll').toBeLessThanOrEqual(10);
  }
});

test('each message is moderated, counted and saved before it is published', () => {
  for (const seed of SEEDS) {
    const { ex, stats, list, published, svc, driver } = scenario(seed, 3);
    const times: number[] = [];
    const publish = svc.room.publish;
    svc.room.publish = (line: string) => {
      times.push(svc.reactor.now);
      publish(line);
    };
    runService(ex);
    expect(driver.done).toBe(true);
    const due = list.map((a) => a.at + svc.moderationMs + svc.saveMs).sort((x, y) => x - y);
    expect(
      times,
      `each line is published once its moderation (${svc.moderationMs} ms, on a blocking thread) and its save ` +
        `(${svc.saveMs} ms) are done, counted from when the message arrived; messages do not wait for each other (seed ${seed})`,
    ).toEqual(due);
    const final = stats.snapshot();
    expect(final.messages, 'the stats count every message').toBe(list.length);
    expect(final.lastFrom, 'lastFrom is the sender of the line published last').toBe(published.at(-1)?.split(':')[0]);
    expect(stats.borrowed, 'no guard is left alive').toBe(false);
  }
});

test('subscribers are woken once per line, never spun', () => {
  const { ex, readers, published } = scenario(SEEDS[1] ?? 42, 8);
  runService(ex);
  for (const r of readers) {
    expect(r.wokeDuringPoll, `${r.name} woke itself`).toBe(0);
    expect(r.polls, `${r.name}: ${published.length} lines and the close; at most one poll for each, plus the first`).toBeLessThanOrEqual(published.length + 2);
  }
});

test('a subscriber polled by another task, or dropped, is woken correctly', () => {
  const room = new Broadcast<string>();
  const sub = room.subscribe();
  const gone = room.subscribe();
  const [a, b, c] = [spyWaker('task A'), spyWaker('task B'), spyWaker('dropped')];
  expect(pollNextWith(sub, a).ready).toBe(false);
  expect(pollNextWith(sub, b).ready).toBe(false);
  expect(pollNextWith(gone, c).ready).toBe(false);
  gone.drop?.();
  room.publish('x');
  expect([a.wakes, b.wakes], 'the subscriber was last polled by task B: B is woken, not A').toEqual([0, 1]);
  expect(c.wakes, 'a dropped subscriber is not woken').toBe(0);
  expect(pollNextWith(sub, b)).toEqual({ ready: true, value: 'x' });
  expect(pollNextWith(sub, b).ready).toBe(false);
  expect(b.clones, 'polled again by the same task: no new clone (willWakeSame)').toBe(1);
});

test('a subscriber sees the lines after it subscribed; close() ends it after the lines already published', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const room = new Broadcast<string>();
    const before = Array.from({ length: rng.int(1, 4) }, (_, i) => `old ${seed}-${i}`);
    for (const line of before) room.publish(line);
    const sub = room.subscribe();
    const after = Array.from({ length: rng.int(1, 4) }, (_, i) => `new ${seed}-${i}`);
    for (const line of after) room.publish(line);
    room.close(); // right after the last publish, before the subscriber read anything
    const w = spyWaker('client');
    const got: unknown[] = [];
    for (let i = 0; i < after.length + 3; i++) {
      const p = pollNextWith(sub, w);
      if (!p.ready) break;
      got.push(p.value);
      if (p.value === END) break;
    }
    expect(
      got,
      `${before.length} line(s) were published before the subscriber subscribed (not for it), ${after.length} after, ` +
        `then the room closed: it gets exactly the later lines, in order, then END (seed ${seed})`,
    ).toEqual([...after, END]);
  }
});

test('the service keeps its state where the Send check can see it, and waits only through wakers', () => {
  const found = banned(
    new URL('./quiz2_debug_the_service.ts', import.meta.url),
    ['private', 'any', 'Promise', 'async', 'await', 'setTimeout', 'setImmediate', 'queueMicrotask', 'import:async-lessons'],
    'no private fields (they hide a guard from the Send check); poll-based code only',
  );
  expect(found, found.join('\n')).toEqual([]);
});
