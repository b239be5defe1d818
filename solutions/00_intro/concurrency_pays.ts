// concurrency_pays: reference solution.
//
// Rust equivalent: `try_join_all(ids.iter().map(|id| fetch_user(*id))).await`
// (futures crate): many requests in flight on one thread, no thread per request.

export async function fetchAll<T>(
  ids: readonly number[],
  fetchUser: (id: number) => Promise<T>,
): Promise<T[]> {
  // A JavaScript promise starts its work as soon as it is created, so mapping
  // over the ids starts every request now. Nothing waits yet.
  const requests = ids.map((id) => fetchUser(id));

  // Promise.all waits for all of them together. It puts each result in the
  // slot of the promise that produced it, so the output follows `ids` however
  // the requests finish, and it rejects with the first error it sees.
  return Promise.all(requests);
}
