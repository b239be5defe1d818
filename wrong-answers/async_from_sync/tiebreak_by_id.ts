// @rejects users with equal scores keep their input order
// Mistake: breaks ties by id, which is the input order only when the list happens to be sorted by id.
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
  // Promise.all keeps input order, so scores[i] belongs to users[i] whatever order they arrive in.
  const scores = await Promise.all(users.map((user) => score(user)));
  return users
    .map((user, i) => ({ user, score: scores[i] ?? 0 }))
    .sort((a, b) => a.score - b.score || a.user.id - b.user.id)
    .map((entry) => entry.user);
}
