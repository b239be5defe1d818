// @rejects rejects as soon as one fetch fails
// Mistake: starts every fetch, then awaits them one by one in input order, so a failure is only
// noticed after the earlier fetches finish (and it sits unhandled until then).
export async function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  const pending = ids.map((id) => fetchUser(id));
  const users: T[] = [];
  for (const request of pending) {
    users.push(await request);
  }
  return users;
}
