// async_stack_traces: keep the logical call chain in your errors.
//
// "…interpreting stack traces can be a bit more involved than it would be in
// synchronous Rust."
//
// When `fetchRow` fails, it fails after an await: by then nothing of the
// original call is on the machine stack. V8 rebuilds the chain from the
// async functions that are *suspended in an await* on the failing promise,
// and prints them as `at async <name>`. Functions that already returned a
// promise are not suspended anywhere, so they vanish from the trace:
//
//   handle ── return loadUser(id) ──▶ loadUser ── .then(parse) ──▶ fetchRow throws
//     (returned, not awaiting)          (returned, not awaiting)
//
//   Error: db down
//       at TestDb.fetchRow (…)          ← and nothing else of yours
//
// Tasks:
//   1. `loadUser` and `handle` stay suspended while the row loads, so the
//      error thrown in fetchRow is printed with `at async loadUser` and
//      `at async handle` under it. (In `handle`, `return x` inside `try`
//      leaves the function before x settles: the `finally` runs too early.)
//   2. `loadUser` rejects with `new Error(\`load user ${id} failed\`, { cause })`
//      where `cause` is the very error fetchRow threw (do not copy it, do not
//      touch its stack).
//   3. `callChain(stack)` reads a stack trace as a list of function names,
//      innermost first:
//        - only lines that start with `at ` (after spaces) are frames;
//        - skip frames whose location is Node's own (`(node:…)` or `at node:…`);
//        - the name is the text before ` (`; drop a leading `async ` and `new `,
//          and a trailing ` [as alias]`; keep the part after the last `.`
//          (`TestDb.fetchRow` → `fetchRow`, `Promise.all` → `all`);
//        - a frame with no name (`at file:///x.ts:3:7`, `at async file:///…`)
//          or named `<anonymous>` is `<anonymous>`.
//
// TODO: make loadUser and handle await (and keep handle's finally after the load).
// TODO: wrap the failure with its cause.
// TODO: write callChain.
//
// Rust equivalent: a panic inside async code prints `{{closure}}` and
// `<core::future::…as Future>::poll` frames of the state machines mixed with
// tokio worker frames (`RUST_BACKTRACE=1`); `anyhow::Context` adds the
// "load user 42 failed" layer, and `async-backtrace` / `tracing` spans rebuild
// the logical chain.

export interface Row {
  id: number;
  name: string;
}

export interface User {
  id: number;
  name: string;
}

export interface Db {
  fetchRow(id: number): Promise<Row>;
}

/** What handle's `finally` writes: when a request is over. */
export const finished: number[] = [];

export function parse(row: Row): User {
  return { id: row.id, name: row.name.trim() };
}

export function loadUser(db: Db, id: number): Promise<User> {
  return db.fetchRow(id).then(parse);
}

export async function handle(db: Db, id: number): Promise<User> {
  try {
    return loadUser(db, id);
  } finally {
    finished.push(id);
  }
}

export function callChain(stack: string): string[] {
  void stack;
  return [];
}
