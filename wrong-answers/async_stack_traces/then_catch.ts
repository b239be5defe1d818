// @rejects keeps loadUser and handle
// Mistake: wraps the error in a .catch on the promise chain: the message and cause are right, but loadUser is not suspended in an await, so the trace of the db error loses it.
// async_stack_traces: reference solution.
//
// Rust equivalent: `.context(format!("load user {id} failed"))?` (anyhow) on an awaited call, so the
// logical chain survives in the error and in async-backtrace's view of the task.

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
  return db
    .fetchRow(id)
    .then(parse)
    .catch((cause: unknown) => {
      throw new Error(`load user ${id} failed`, { cause });
    });
}

export async function handle(db: Db, id: number): Promise<User> {
  try {
    // `return await`: stay in the try (and in the trace) until the load settles.
    return await loadUser(db, id);
  } finally {
    finished.push(id);
  }
}

// `at [async ]<name> (<where>)` or `at [async ]<where>`; the async marker says the frame was awaiting.
const FRAME = /^\s*at (?:async )?(.*)$/;

export function callChain(stack: string): string[] {
  const names: string[] = [];
  for (const line of stack.split('\n')) {
    const text = FRAME.exec(line)?.[1];
    if (text === undefined) continue;
    const open = text.indexOf(' (');
    const where = open < 0 ? text : text.slice(open + 2);
    if (where.startsWith('node:')) continue;
    const name = open < 0 ? '' : text.slice(0, open).replace(/^new /, '').replace(/ \[as [^\]]*\]$/, '');
    names.push(name.slice(name.lastIndexOf('.') + 1) || '<anonymous>');
  }
  return names;
}
