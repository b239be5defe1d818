import { expect, test } from 'vitest';
import { SEEDS, TestExecutor, VirtualReactor, banned, counted, pollWith, seeded, sleep, spyWaker, type Counted } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { Local, boxAllocations } from '../_lib/runtime';
import { boxed, boxedLocal, type DynStore, type Store } from './boxed_trait_objects';

/** A get() that takes `ms` virtual ms (the trusted sleep underneath). */
class SlowGet implements Future<string> {
  readonly value: string;
  readonly timer: Future<void>;

  constructor(reactor: VirtualReactor, ms: number, value: string) {
    this.value = value;
    this.timer = sleep(reactor, ms);
  }

  poll(cx: Context): Poll<string> {
    return this.timer.poll(cx).ready ? Ready(this.value) : Pending;
  }

  drop(): void {
    this.timer.drop?.();
  }
}

/** A get() that answers at once. */
class CachedGet implements Future<string> {
  readonly value: string;

  constructor(value: string) {
    this.value = value;
  }

  poll(): Poll<string> {
    return Ready(this.value);
  }
}

/** A get() that keeps a Local (say, the thread's session) in its state. */
class SessionGet implements Future<string> {
  readonly session: Local<string>;
  readonly inner: SlowGet;

  constructor(reactor: VirtualReactor, ms: number, user: string, key: string) {
    this.session = new Local(user);
    this.inner = new SlowGet(reactor, ms, `${key} for ${user}`);
  }

  poll(cx: Context): Poll<string> {
    return this.inner.poll(cx);
  }
}

/** Stores of three kinds; each counts the futures it made. */
function stores(reactor: VirtualReactor, rng: ReturnType<typeof seeded>) {
  const latency = new Map<string, number>();
  const made = { remote: [] as Array<Counted<string>>, cache: 0, session: 0 };
  const remote: Store<Counted<string>> = {
    get(key) {
      const ms = rng.int(5, 200);
      latency.set(`remote:${key}`, ms);
      const fut = counted(new SlowGet(reactor, ms, `remote ${key}`), { name: `remote ${key}` });
      made.remote.push(fut);
      return fut;
    },
  };
  const cache: Store<CachedGet> = {
    get(key) {
      made.cache += 1;
      return new CachedGet(`cached ${key}`);
    },
  };
  const session: Store<SessionGet> = {
    get(key) {
      made.session += 1;
      const ms = rng.int(5, 200);
      latency.set(`session:${key}`, ms);
      return new SessionGet(reactor, ms, 'ada', key);
    },
  };
  return { remote, cache, session, latency, made };
}

test('a mixed list of boxed stores gives the right values', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const s = stores(reactor, rng);
    const list: DynStore[] = [boxed(s.remote), boxed(s.cache)];
    const key = `k${rng.int(1, 999)}`;
    const ex = new TestExecutor({ reactor });
    const handles = list.map((store, i) => ex.spawn(`store ${i}`, store.get(key)));
    const local = ex.spawn('session store', boxedLocal(s.session).get(key));
    ex.run();
    expect(
      handles.map((h) => h.done && h.result),
      `each boxed store's get('${key}') should give that store's own answer (seed ${seed})`,
    ).toEqual([`remote ${key}`, `cached ${key}`]);
    expect(local.done && local.result, `the boxedLocal store should answer too (seed ${seed})`).toBe(`${key} for ada`);
    expect(handles[0]?.finishedAt, 'the remote store answers after its latency').toBe(s.latency.get(`remote:${key}`));
    expect(local.finishedAt, 'the session store answers after its latency').toBe(s.latency.get(`session:${key}`));
  }
});

test('box() is called once per get() call', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const reactor = new VirtualReactor();
    const s = stores(reactor, rng);
    const before = boxAllocations();
    const dyn = boxed(s.remote);
    const dynLocal = boxedLocal(s.session);
    expect(boxAllocations() - before, 'wrapping a store allocates nothing yet: the boxes come with the calls').toBe(0);
    const calls = rng.int(3, 8);
    const keys = Array.from({ length: calls }, () => `k${rng.int(1, 5)}`); // some keys repeat
    const futs = keys.map((k) => dyn.get(k));
    keys.forEach((k) => dynLocal.get(k));
    expect(
      boxAllocations() - before,
      `${calls} get() calls on each of two wrapped stores should box ${2 * calls} futures, one per call: ` +
        'box() (or boxLocal()) the future each call makes, and do not reuse one',
    ).toBe(2 * calls);
    expect(new Set(futs).size, 'each call should return a new boxed future, even for a repeated key').toBe(calls);
    expect(s.made.remote.length, "each call should ask the inner store for a new future").toBe(calls);
    expect(s.made.session, "each boxedLocal call should ask the inner store for a new future").toBe(calls);
  }
});

test("drop() reaches the store's future", () => {
  const reactor = new VirtualReactor();
  const s = stores(reactor, seeded(SEEDS[0] ?? 1));
  const fut = boxed(s.remote).get('k');
  const spy = spyWaker('task');
  expect(pollWith(fut, spy).ready, 'the remote store is slow: Pending at first').toBe(false);
  expect(reactor.pendingTimers, "the store's future is waiting on a timer").toBe(1);
  fut.drop?.();
  expect(s.made.remote[0]?.drops, "dropping the boxed future should drop the store's future inside it (box() forwards drop)").toBe(1);
  expect(reactor.pendingTimers, "so the store's timer is cancelled").toBe(0);
});

test('uses no any, casts or ts-directives', () => {
  const found = banned(
    new URL('./boxed_trait_objects.ts', import.meta.url),
    ['any', 'as', 'ts-directives', 'private'],
    'the Send check only works when the types are honest: no any, no casts, no silenced errors, no hidden (#private) state',
  );
  expect(found, found.join('\n')).toEqual([]);
});
