// Type checks for async_from_sync: compiled together with your file, never run.
//
// How to read a failure here:
// - an `expectTypeOf(...)` line that fails starts with one line saying what
//   was expected and what your code's type is. The lines after it are
//   TypeScript's own message about expectTypeOf's internals: skip them.
// - "this line should fail to type-check with TSnnnn, but it compiles" means
//   your types accept what the comment on that line says they must refuse
//   (usually an `any`, or a signature that is no longer async).
import { expectTypeOf } from 'vitest';
import { sortByScore, type ScoreFn, type User } from './async_from_sync';

declare const users: User[];
declare const score: ScoreFn;
declare const syncScore: (user: User) => number;

// The shell stays async: callers get a Promise of the sorted users.
expectTypeOf(sortByScore).returns.toEqualTypeOf<Promise<User[]>>();
// The score still comes from the async service.
expectTypeOf<ScoreFn>().returns.toEqualTypeOf<Promise<number>>();
expectTypeOf(sortByScore).parameter(1).toEqualTypeOf<ScoreFn>();

// @ts-expect-error TS2740 sortByScore gives a Promise<User[]>, not the sorted array itself
export const sorted: User[] = sortByScore(users, score);

// @ts-expect-error TS2345 the score function is async: a sync one does not fit (do not loosen ScoreFn)
void sortByScore(users, syncScore);

// @ts-expect-error TS2345 this is why the comparator stays sync: sort refuses one that returns a Promise
users.sort(async (a, b) => (await score(a)) - (await score(b)));
