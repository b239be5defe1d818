// @rejects resolves only after the slowest request
// Mistake: uses Promise.race "to wait for the requests", which settles with the first request to finish; the array is filled in later by each request's callback, so it only looks complete if you read it long afterwards.

export async function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  const users: T[] = [];
  const requests = ids.map((id, i) =>
    fetchUser(id).then((user) => {
      users[i] = user;
    }),
  );
  await Promise.race(requests);
  return users;
}
