// error_context: say where in the state machines a failure happened.
//
// "Stack traces in async Rust typically contain details from these state
// machines, as well as function calls from the runtime."
//
// When a leaf future throws inside `poll`, the stack shows who *polled* it,
// not who was *waiting* for what:
//
//   Error: boom
//       at Object.poll (db.ts)          ← the leaf
//       at FetchTwo.poll (…)            ← which state? it does not say
//       at runTasks (…)                 ← which task? it does not say
//
// Rust's traces look the same: `<FetchTwo as Future>::poll`, then tokio's
// `Harness::poll`, `CoreStage::poll`… The fix in both worlds is to add the
// logical context to the error on its way up, one layer per level:
//
//   task "user-42" > fetch_two[AwaitB] > db.get("posts") > boom
//
// where each `>` is an Error whose `cause` is the next one, and the last is
// the very error the leaf threw.
//
// Tasks:
//   1. `withContext(fut, label)` is a future that behaves exactly like `fut`
//      (same polls, same results, `drop` passed on), except that an error
//      thrown by `fut.poll` comes out as `new Error(label, { cause })`.
//   2. `FetchTwo` starts each db read as `withContext(db.get(key),
//      \`db.get(${JSON.stringify(key)})\`)`, and an error from a child comes out
//      as `new Error(\`fetch_two[${state}]\`, { cause })`, with the state it was
//      in when the child failed (`AwaitA` or `AwaitB`).
//   3. `runTasks` catches an error from a task's poll: that task's outcome is
//      `{ ok: false, error: new Error(\`task "${name}"\`, { cause }) }`, it is
//      dropped and never polled again, and the other tasks run on.
//
// TODO: write withContext.
// TODO: add the state to FetchTwo's errors, and use withContext for the reads.
// TODO: catch task errors in runTasks.
//
// Rust equivalent: `anyhow::Context::context("db.get(\"posts\")")` on each `?`,
// `#[tracing::instrument]` spans (task and state in every event), and tokio's
// `JoinError` (the task id and the panic payload) for a task that failed.

import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';

/** The database: each read is a future of the stored text. */
export interface Db {
  get(key: string): Future<string>;
}

/** Wraps `fut` so that its errors carry `label`. */
export function withContext<T>(fut: Future<T>, label: string): Future<T> {
  void label;
  return fut;
}

type FetchState =
  | { tag: 'AwaitA'; a: Future<string> }
  | { tag: 'AwaitB'; first: string; b: Future<string> }
  | { tag: 'Done' };

/** `async { let a = db.get(keyA).await; let b = db.get(keyB).await; (a, b) }`, by hand. */
export class FetchTwo implements Future<[string, string]> {
  state: FetchState;
  readonly db: Db;
  readonly keyB: string;

  constructor(db: Db, keyA: string, keyB: string) {
    this.db = db;
    this.keyB = keyB;
    this.state = { tag: 'AwaitA', a: db.get(keyA) };
  }

  poll(cx: Context): Poll<[string, string]> {
    for (;;) {
      switch (this.state.tag) {
        case 'AwaitA': {
          const p = this.state.a.poll(cx);
          if (!p.ready) return Pending;
          this.state = { tag: 'AwaitB', first: p.value, b: this.db.get(this.keyB) };
          continue;
        }
        case 'AwaitB': {
          const p = this.state.b.poll(cx);
          if (!p.ready) return Pending;
          const first = this.state.first;
          this.state = { tag: 'Done' };
          return Ready([first, p.value]);
        }
        case 'Done':
          throw new Error('FetchTwo polled after it finished');
      }
    }
  }

  drop(): void {
    if (this.state.tag === 'AwaitA') this.state.a.drop?.();
    if (this.state.tag === 'AwaitB') this.state.b.drop?.();
    this.state = { tag: 'Done' };
  }
}

/** How a task ended. Rust: `Result<T, JoinError>`. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

/**
 * Runs every task to the end: polls the woken ones in FIFO order, and turns the reactor when none
 * is runnable. Returns each task's outcome by name.
 */
export function runTasks(tasks: Array<[string, Future<unknown>]>, reactor: { turn(): boolean }): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  const queue: number[] = tasks.map((_, i) => i);
  const queued = new Set(queue);
  const wakers = tasks.map((_, i) => {
    const waker: Waker = {
      wake() {
        if (queued.has(i)) return;
        queued.add(i);
        queue.push(i);
      },
      clone: () => waker,
      willWakeSame: (other) => other === waker,
    };
    return waker;
  });
  for (;;) {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      queued.delete(i);
      const task = tasks[i];
      const waker = wakers[i];
      if (task === undefined || waker === undefined || outcomes.has(task[0])) continue;
      const [name, fut] = task;
      const p = fut.poll({ waker });
      if (p.ready) outcomes.set(name, { ok: true, value: p.value });
    }
    if (outcomes.size === tasks.length || !reactor.turn()) return outcomes;
  }
}
