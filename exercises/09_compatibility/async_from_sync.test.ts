import { expect, test } from 'vitest';
import { SEEDS, banned, pristine, seeded } from 'async-lessons/harness';
import { sortByScore, type User } from './async_from_sync';

/**
 * A fake scoring service. Each answer arrives after a few microtask hops, later for users earlier
 * in the list, so answers come back in a different order than they were asked for.
 */
function service(scores: ReadonlyMap<number, number>, failFor?: number) {
  const s = { calls: new Map<number, number>(), total: 0, inFlight: 0, maxInFlight: 0, finished: 0 };
  const score = async (user: User): Promise<number> => {
    s.total += 1;
    s.calls.set(user.id, (s.calls.get(user.id) ?? 0) + 1);
    s.inFlight += 1;
    s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
    const hops = 1 + ((scores.size - user.id) % 7);
    for (let i = 0; i < hops; i++) await null;
    s.inFlight -= 1;
    s.finished += 1;
    if (user.id === failFor) throw new Error(`scoring service is down for user ${user.id}`);
    const value = scores.get(user.id);
    if (value === undefined) throw new Error(`no score for user ${user.id}`);
    return value;
  };
  return { score, stats: s };
}

/**
 * `n` users (names repeat on purpose) with distinct random scores, unless `ties` is set. With
 * `shuffled`, the list is not in id order, so "input order" and "id order" differ.
 */
function people(seed: number, n: number, ties = false, shuffled = false) {
  const rng = seeded(seed);
  const values = ties ? Array.from({ length: n }, () => rng.int(1, 4)) : rng.distinct(n, -500, 500);
  const users: User[] = values.map((_, id) => ({ id, name: `user${id % 3}` }));
  const scores = new Map(values.map((v, id) => [id, v]));
  if (shuffled) {
    for (let i = users.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [users[i], users[j]] = [users[j] as User, users[i] as User];
    }
  }
  return { users, scores };
}

/** The ids in the order a stable sort by score gives. */
function expected(users: readonly User[], scores: ReadonlyMap<number, number>): number[] {
  const ids = users.map((u) => u.id);
  return ids.sort((a, b) => (scores.get(a) ?? 0) - (scores.get(b) ?? 0) || ids.indexOf(a) - ids.indexOf(b));
}

async function ids(result: Promise<User[]>): Promise<number[]> {
  const users = await result;
  return pristine.Array.map(users, (u: User) => u.id);
}

test('sorts the users by score, lowest first', async () => {
  for (const seed of SEEDS) {
    for (const n of [2, 9, 40]) {
      const { users, scores } = people(seed, n);
      const { score } = service(scores);
      const got = await ids(sortByScore(users, score));
      expect(
        got,
        `ids in score order (seed ${seed}, ${n} users; scores by id: ${pristine.JSON.stringify([...scores])}). ` +
          'Wait for every score first, then sort with a comparator that compares two numbers you already have',
      ).toEqual(expected(users, scores));
    }
  }
});

test('returns the same user objects and keeps ties in input order', async () => {
  for (const [k, seed] of SEEDS.entries()) {
    // Half the runs list the users out of id order: ties keep the order they were given in, not id order.
    const { users, scores } = people(seed, 25, true, k % 2 === 1);
    const copy = [...users];
    const { score } = service(scores);
    const result = await sortByScore(users, score);
    expect(pristine.Array.map(result, (u: User) => u.id), `users with equal scores keep their input order (seed ${seed})`).toEqual(
      expected(users, scores),
    );
    for (const user of result) {
      expect(pristine.Array.includes(copy, user), 'the result holds the very user objects passed in, not copies').toBe(true);
    }
    expect(users, "sortByScore leaves the caller's array as it was: sort a copy").toEqual(copy);
  }
});

test('asks for each score exactly once', async () => {
  for (const seed of SEEDS) {
    const n = 30;
    const { users, scores } = people(seed, n);
    const { score, stats } = service(scores);
    await sortByScore(users, score);
    const counts = users.map((u) => stats.calls.get(u.id) ?? 0);
    expect(
      counts,
      `score(user) calls per user (seed ${seed}): each user's score is asked for once. A comparator runs ` +
        `about n·log n times (${stats.total} calls were made for ${n} users): compute the scores up front`,
    ).toEqual(users.map(() => 1));
  }
});

test('asks for all scores at once', async () => {
  for (const seed of SEEDS) {
    const n = 20;
    const { users, scores } = people(seed, n);
    const { score, stats } = service(scores);
    await sortByScore(users, score);
    expect(
      stats.maxInFlight,
      `scores being computed at the same time (seed ${seed}): start all ${n} requests before awaiting any ` +
        '(awaiting inside a loop asks one after another)',
    ).toBe(n);
    expect(stats.finished, 'sortByScore resolves only after every score has arrived').toBe(n);
  }
});

test('a failing score rejects the Promise', async () => {
  for (const seed of SEEDS) {
    const { users, scores } = people(seed, 12);
    const failFor = seeded(seed).int(0, 11);
    const { score } = service(scores, failFor);
    let thrown: unknown;
    let returned: Promise<User[]> | undefined;
    try {
      returned = sortByScore(users, score);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'sortByScore never throws synchronously: a failure rejects its Promise').toBeUndefined();
    await expect(returned, `the score of user ${failFor} failed, so sortByScore rejects with that error`).rejects.toThrow(
      `scoring service is down for user ${failFor}`,
    );
  }
});

test('uses no any, casts or ts-directives', () => {
  const found = banned(
    new URL('./async_from_sync.ts', import.meta.url),
    ['any', 'as', 'ts-directives'],
    'the types say what is async and what is not; silencing them hides the Promise the comparator would get',
  );
  expect(found, found.join('\n')).toEqual([]);
});
