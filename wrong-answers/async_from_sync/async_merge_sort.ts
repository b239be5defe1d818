// @rejects asks for each score exactly once
// Mistake: writes an async merge sort that awaits both scores in every comparison, so each user is scored about log n times.
// async_from_sync: a sync callback cannot wait for an async function.
//
// The async shell asks for every score at once and waits for all of them;
// the sync core (sort's comparator) then reads plain numbers.
//
// Rust equivalent: sync trait methods and closures (`Ord::cmp`, the closure
// of `slice::sort_by_key`, `Iterator::map`, `Drop::drop`) cannot `.await`.
// Fetch first (`futures::future::join_all`), then sort; or `block_on` at the
// edge of the program. There is no async `Drop`.

export interface User {
  id: number;
  name: string;
}

/** Asks the scoring service for a user's score. */
export type ScoreFn = (user: User) => Promise<number>;

export async function sortByScore(users: readonly User[], score: ScoreFn): Promise<User[]> {
  if (users.length <= 1) return [...users];
  const mid = Math.floor(users.length / 2);
  const [left, right] = await Promise.all([sortByScore(users.slice(0, mid), score), sortByScore(users.slice(mid), score)]);
  const out: User[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i];
    const b = right[j];
    if (a === undefined || b === undefined) break;
    const [sa, sb] = await Promise.all([score(a), score(b)]);
    if (sa <= sb) {
      out.push(a);
      i += 1;
    } else {
      out.push(b);
      j += 1;
    }
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}
