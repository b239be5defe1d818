// @rejects asks for all scores at once
// Mistake: awaits each score inside a loop, so the requests go out one after another instead of all at once.
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
  const scores = new Map<User, number>();
  for (const user of users) scores.set(user, await score(user));
  return [...users].sort((a, b) => (scores.get(a) ?? 0) - (scores.get(b) ?? 0));
}
