// @rejects all requests are in flight at once
// Mistake: limits itself to batches of 10 concurrent fetches, so only 10 are ever in flight
// and 50 ids take ~500 ms.
export async function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  const users: T[] = [];
  for (let start = 0; start < ids.length; start += 10) {
    const batch = ids.slice(start, start + 10);
    users.push(...(await Promise.all(batch.map((id) => fetchUser(id)))));
  }
  return users;
}
