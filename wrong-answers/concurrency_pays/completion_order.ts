// @rejects results follow the input order
// Mistake: runs the fetches concurrently but pushes each result when it arrives (completion order).
export async function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  const users: T[] = [];
  await Promise.all(
    ids.map(async (id) => {
      users.push(await fetchUser(id));
    }),
  );
  return users;
}
