// @rejects rejects as soon as one fetch fails
// Mistake: uses Promise.allSettled and throws the first failure afterwards, which waits for the
// slowest fetch (~100 ms) before reporting an error known at 40 ms.
export async function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  const outcomes = await Promise.allSettled(ids.map((id) => fetchUser(id)));
  const users: T[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') throw outcome.reason;
    users.push(outcome.value);
  }
  return users;
}
