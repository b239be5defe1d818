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

export async function loadUser(db: Db, id: number): Promise<User> {
  let row: Row;
  try {
    // Suspended here while the row loads, so V8 can list this frame under fetchRow.
    row = await db.fetchRow(id);
  } catch (cause) {
    throw new Error(`load user ${id} failed`, { cause });
  }
  return parse(row);
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
