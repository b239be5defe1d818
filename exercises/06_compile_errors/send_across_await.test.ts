import { expect, test } from 'vitest';
import { banned, collected, pollWith, pristine, seeded, sleep, spyWaker, SEEDS, VirtualReactor } from 'async-lessons/harness';
import { type Future, type Output } from '../_lib/future';
import { Executor, Local, type JoinHandle, type RequireSend, type Result, type JoinError } from '../_lib/runtime';
import { HandleRequest, serve, type Db, type Session, type Sessions } from './send_across_await';

/**
 * A session store that remembers every Local it hands out only weakly, so the check can ask the
 * garbage collector which of them are still alive. Each `get` is a fresh snapshot (Rc::clone of a
 * copy), and each finished save counts one visit.
 */
function store(seed: number) {
  const rng = seeded(seed);
  const data = new Map<string, Session>();
  const handedOut: Array<WeakRef<Local<Session>>> = [];
  let gets = 0;
  const sessions: Sessions = {
    get(id) {
      const s = data.get(id);
      if (s === undefined) throw new Error(`no session ${id}`);
      gets += 1;
      const local = new Local({ ...s });
      handedOut.push(new pristine.ctors.WeakRef(local));
      return local;
    },
  };
  const add = (id: string) => {
    const s = { name: `user-${rng.int(10, 9999)}`, visits: rng.int(0, 50) };
    data.set(id, s);
    return s;
  };
  return { sessions, data, add, handedOut, gets: () => gets, rng };
}

/** A database whose saves take `ms` virtual ms; a finished save numbers a row and counts a visit. */
function database(reactor: VirtualReactor, data: Map<string, Session>, firstRow: number, ms: () => number) {
  let next = firstRow;
  const saved: string[] = [];
  const db: Db = {
    save(name) {
      const timer = sleep(reactor, ms());
      let row: number | undefined;
      return {
        poll(cx) {
          if (row !== undefined) return { ready: true, value: row };
          if (!timer.poll(cx).ready) return { ready: false };
          row = next++;
          saved.push(name);
          for (const s of data.values()) if (s.name === name) s.visits += 1;
          return { ready: true, value: row };
        },
      };
    },
  };
  return { db, saved };
}

const value = (r: Result<string, JoinError> | undefined) => (r === undefined ? 'nothing (still running)' : r.ok ? r.value : `error: ${r.error.message}`);

test('every spawned request gives its line', () => {
  for (const seed of SEEDS) {
    const st = store(seed);
    const reactor = new VirtualReactor();
    const firstRow = st.rng.int(1, 500);
    const { db } = database(reactor, st.data, firstRow, () => st.rng.int(5, 60));
    const executor = new Executor(reactor);
    const ids = Array.from({ length: st.rng.int(2, 5) }, (_, i) => `s${i}`);
    const sessions = ids.map((id) => ({ ...st.add(id) }));
    const handles = ids.map((id) => serve(executor, id, st.sessions, db));
    const results: Array<Result<string, JoinError> | undefined> = [];
    const spy = spyWaker('main');
    executor.run();
    for (const h of handles) {
      const p = h.poll({ waker: spy.waker });
      results.push(p.ready ? p.value : undefined);
    }
    // Rows are numbered in save order, which the check does not prescribe; names and visits it does.
    const got = results.map((r) => value(r).replace(/row \d+/, 'row N'));
    const want = sessions.map((s) => `${s.name} saved as row N; ${s.visits + 1} visits`);
    expect(
      got,
      `each request should finish with "<name> saved as row <row>; <visits> visits", where visits is read after the save (seed ${seed})`,
    ).toEqual(want);
    const rows = results.map((r) => Number(/row (\d+)/.exec(value(r))?.[1])).sort((a, b) => a - b);
    expect(rows, `the row numbers should be the ones the database gave (seed ${seed})`).toEqual(ids.map((_, i) => firstRow + i));
  }
});

test('reads the session again after the save', () => {
  for (const seed of SEEDS) {
    const st = store(seed);
    const reactor = new VirtualReactor();
    const { db, saved } = database(reactor, st.data, 1, () => 30);
    const s = st.add('me');
    const visitsBefore = s.visits;
    const fut = new HandleRequest('me', st.sessions, db);
    const spy = spyWaker('task');
    expect(pollWith(fut, spy).ready, 'the request should wait for the save on its first poll').toBe(false);
    expect(saved, 'the save should not have finished yet').toEqual([]);
    // Someone else changes the session while this request waits.
    const extra = st.rng.int(3, 30);
    s.visits += extra;
    reactor.advance(30);
    const p = pollWith(fut, spy);
    expect(p.ready, 'once the save is done, the next poll should finish the request').toBe(true);
    expect(
      p.ready ? p.value : '',
      `the visit count must come from a look-up after the save: it was ${visitsBefore} before the save, another request added ${extra} while this one waited, and the save added 1 (seed ${seed})`,
    ).toBe(`${s.name} saved as row 1; ${visitsBefore + extra + 1} visits`);
    expect(st.gets(), 'the session should be looked up twice: once for the name, once after the save').toBe(2);
  }
});

test('no Local is alive while the request waits', async () => {
  for (const seed of SEEDS.slice(0, 3)) {
    const st = store(seed);
    const reactor = new VirtualReactor();
    const { db } = database(reactor, st.data, 1, () => 40);
    const s = st.add('me');
    const fut = new HandleRequest('me', st.sessions, db);
    const spy = spyWaker('task');
    expect(pollWith(fut, spy).ready, 'the request should wait for the save on its first poll').toBe(false);
    let alive = 0;
    for (const ref of st.handedOut) if (!(await collected(ref))) alive += 1;
    expect(
      alive,
      `while the request waits for the save, ${alive} of the ${st.handedOut.length} Local sessions it got are still alive: ` +
        'something (a field of the waiting state, a closure, a module variable) keeps one across the await, ' +
        `which is what makes the future not Send. Keep only the name (seed ${seed}).`,
    ).toBe(0);
    reactor.advance(40);
    const p = pollWith(fut, spy);
    expect(p.ready ? p.value : 'Pending', 'the request should then finish').toBe(`${s.name} saved as row 1; ${s.visits} visits`);
  }
});

test('serve uses spawn, the executor that demands Send', () => {
  const st = store(SEEDS[1]!);
  const reactor = new VirtualReactor();
  const { db } = database(reactor, st.data, 1, () => 10);
  st.add('me');
  const calls: string[] = [];
  // Records which door serve takes; both still run the request.
  class Watched extends Executor {
    override spawn<F extends Future<unknown>>(fut: F & RequireSend<F>): JoinHandle<Output<F>> {
      calls.push('spawn');
      return super.spawn<F>(fut);
    }
    override spawnLocal<T>(fut: Future<T>): JoinHandle<T> {
      calls.push('spawnLocal');
      return super.spawnLocal(fut);
    }
  }
  const executor = new Watched(reactor);
  serve(executor, 'me', st.sessions, db);
  expect(
    calls,
    'serve should start the request with executor.spawn (Rust: tokio::spawn, which demands Send); spawnLocal accepts a future that holds a Local, so it would hide the very error this exercise fixes',
  ).toEqual(['spawn']);
});

test('nothing happens before the first poll', () => {
  for (const seed of SEEDS.slice(0, 3)) {
    const st = store(seed);
    const reactor = new VirtualReactor();
    let saves = 0;
    const { db: real } = database(reactor, st.data, 1, () => 10);
    const db: Db = { save: (name) => ((saves += 1), real.save(name)) };
    st.add('me');
    const fut = new HandleRequest('me', st.sessions, db);
    expect(
      [st.gets(), saves],
      `a new HandleRequest should not have looked up the session or started the save yet ([gets, saves]); an async fn's body runs only when it is polled, so do that work in the Start state (seed ${seed})`,
    ).toEqual([0, 0]);
    expect(pollWith(fut, spyWaker('task')).ready, 'the first poll starts the save and waits for it').toBe(false);
    expect([st.gets(), saves], 'after the first poll: one look-up for the name, one save').toEqual([1, 1]);
  }
});

test('a finished request is not polled again', () => {
  const st = store(SEEDS[0]!);
  const reactor = new VirtualReactor();
  const { db } = database(reactor, st.data, 1, () => 0);
  st.add('me');
  const fut = new HandleRequest('me', st.sessions, db);
  const spy = spyWaker('task');
  while (!pollWith(fut, spy).ready) reactor.advance(1);
  expect(() => pollWith(fut, spy), 'polling a request that already returned Ready should throw').toThrow();
});

test('no private fields, any, casts or ts directives', () => {
  const findings = banned(
    new URL('./send_across_await.ts', import.meta.url),
    ['any', 'as', 'ts-directives', 'private'],
    'the Send check reads the fields TypeScript can see; hiding the Local (or silencing the checker) keeps it alive across the await instead of letting it go',
  );
  expect(findings, findings.join('\n')).toEqual([]);
});
