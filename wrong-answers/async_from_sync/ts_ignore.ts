// @rejects uses no any, casts or ts-directives
// Mistake: silences TS2362 with @ts-ignore; the comparator subtracts two Promises, gets NaN every time, and sort leaves the order as it was.
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
  // @ts-ignore the scores are numbers in the end
  return [...users].sort((a, b) => score(a) - score(b));
}
