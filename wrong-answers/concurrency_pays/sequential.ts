// @rejects finishes any number of fetches in about 100 ms
// Mistake: awaits each fetch before starting the next (the shipped code), so 50 ids take ~5 s.
export async function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  const users: T[] = [];
  for (const id of ids) {
    users.push(await fetchUser(id));
  }
  return users;
}
