// @rejects concurrent calls keep their own results
// Mistake: keeps the result array at module level (emptied at the start of each call), so two fetchAll calls running at the same time write into, and return, the same array.

const users: unknown[] = [];

export async function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  users.length = 0;
  await Promise.all(
    ids.map(async (id, i) => {
      users[i] = await fetchUser(id);
    }),
  );
  return users as T[];
}
