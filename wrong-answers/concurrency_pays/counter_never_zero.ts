// @rejects an empty list gives an empty result at once
// Mistake: writes Promise.all by hand with a countdown that resolves from inside a request's callback, so with no ids there is no callback and fetchAll never settles.

export function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const users: T[] = new Array<T>(ids.length);
    let remaining = ids.length;
    ids.forEach((id, i) => {
      fetchUser(id).then((user) => {
        users[i] = user;
        remaining -= 1;
        if (remaining === 0) resolve(users);
      }, reject);
    });
  });
}
