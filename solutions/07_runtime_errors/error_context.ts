// error_context: reference solution.
//
// Rust equivalent: `.context(label)` (anyhow) at each level, and a `JoinError` naming the task.

import { Pending, Ready, type Context, type Future, type Poll, type Waker } from '../_lib/future';

/** The database: each read is a future of the stored text. */
export interface Db {
  get(key: string): Future<string>;
}

/** Wraps `fut` so that its errors carry `label`. */
export function withContext<T>(fut: Future<T>, label: string): Future<T> {
  return {
    poll(cx: Context): Poll<T> {
      try {
        return fut.poll(cx);
      } catch (cause) {
        throw new Error(label, { cause });
      }
    },
    drop() {
      fut.drop?.();
    },
  };
}

/** A db read whose errors name the key. */
function read(db: Db, key: string): Future<string> {
  return withContext(db.get(key), `db.get(${JSON.stringify(key)})`);
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
    this.state = { tag: 'AwaitA', a: read(db, keyA) };
  }

  poll(cx: Context): Poll<[string, string]> {
    try {
      return this.step(cx);
    } catch (cause) {
      // The state is what the stack cannot tell: which await this future was at when a child failed.
      throw new Error(`fetch_two[${this.state.tag}]`, { cause });
    }
  }

  step(cx: Context): Poll<[string, string]> {
    for (;;) {
      switch (this.state.tag) {
        case 'AwaitA': {
          const p = this.state.a.poll(cx);
          if (!p.ready) return Pending;
          this.state = { tag: 'AwaitB', first: p.value, b: read(this.db, this.keyB) };
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
      try {
        const p = fut.poll({ waker });
        if (p.ready) outcomes.set(name, { ok: true, value: p.value });
      } catch (cause) {
        // Like tokio turning a panic into a JoinError: this task is over, the others run on.
        outcomes.set(name, { ok: false, error: new Error(`task "${name}"`, { cause }) });
        fut.drop?.();
      }
    }
    if (outcomes.size === tasks.length || !reactor.turn()) return outcomes;
  }
}
