// async_from_sync: a sync callback cannot wait for an async function.
//
// Goal: `sortByScore(users, score)` returns the users ordered by their score,
// lowest first. The score used to come from a synchronous lookup; it now
// comes from `score(user)`, which is async (it asks a service), so it hands
// back a Promise<number>.
//
// The comparator you give `Array.prototype.sort` is a synchronous callback:
// sort calls it and uses its number at once. It cannot wait for a Promise,
// and making the comparator `async` does not help either: TypeScript refuses
// an async comparator (TS2345), because sort would read a Promise as the
// answer. The error on the `sort` line below (TS2362/TS2363: arithmetic on
// a Promise) is the same wall from the other side.
//
// The pattern: an async shell around a sync core. Do all the async work
// first, then hand the sync code plain values.
//
// Rules:
//   - ask for each user's score exactly once (sort calls its comparator
//     about n·log n times; the service should not see that);
//   - ask for all scores at once, not one after another;
//   - keep `score` async and return a Promise of the sorted users;
//   - leave the caller's array as it was; users with equal scores keep
//     their order;
//   - no `any`, no `as` casts, no `@ts-...` comments.
//
// TODO: compute every user's score before sorting.
// TODO: then sort with a comparator that only reads those numbers.
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
  return [...users].sort((a, b) => score(a) - score(b));
}
