// @rejects falsy results count as results
// Mistake: a hand-made Promise.all decides that a slot is filled when it is no longer undefined, so a request that answers undefined (no such user) or another falsy value is never counted and fetchAll never resolves.

export function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const users: (T | undefined)[] = ids.map(() => undefined);
    if (ids.length === 0) resolve([]);
    ids.forEach((id, i) => {
      fetchUser(id).then((user) => {
        users[i] = user;
        const all: T[] = [];
        for (const u of users) if (u) all.push(u);
        if (all.length === ids.length) resolve(all);
      }, reject);
    });
  });
}
