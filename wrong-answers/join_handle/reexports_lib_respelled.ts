// @rejects builds the handle by hand
// Mistake: hands the executor, handles and JoinError over from the course library (imported as ./../_lib/runtime, a spelling the import ban did not know) instead of writing them.
// Rust equivalent: `tokio::spawn(fut)` returns a `JoinHandle<T>`, a future of
// `Result<T, JoinError>`, with `abort()`; dropping the handle detaches the task.

export { Executor, JoinError, type JoinHandle, type Result } from './../_lib/runtime';

/** What the executor needs from a reactor. The checks pass a `VirtualReactor`. */
export interface Reactor {
  turn(): boolean;
}
