// send_across_await: reference solution.
//
// Rust equivalent: `let name = { let s = Rc::new(sessions.get(&id)); s.name().to_owned() };`
// then `db.save(&name).await`, then a fresh look-up: no Rc is alive across the await.

import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { type Executor, type JoinHandle, type Local } from '../_lib/runtime';

export interface Session {
  name: string;
  visits: number;
}

/** Where sessions live. `get` hands out a Local snapshot of the session as it is now. */
export interface Sessions {
  get(id: string): Local<Session>;
}

/** The database: `save(name)` is a future of the new row's number. */
export interface Db {
  save(name: string): Future<number>;
}

type State =
  | { tag: 'Start' }
  // Only what is alive across the await lives here: the name (a string), not the Local.
  | { tag: 'AwaitDb'; name: string; save: Future<number> }
  | { tag: 'Done' };

export class HandleRequest implements Future<string> {
  state: State = { tag: 'Start' };
  readonly id: string;
  readonly sessions: Sessions;
  readonly db: Db;

  constructor(id: string, sessions: Sessions, db: Db) {
    this.id = id;
    this.sessions = sessions;
    this.db = db;
  }

  poll(cx: Context): Poll<string> {
    for (;;) {
      switch (this.state.tag) {
        case 'Start': {
          // The Local stays inside this block, like Rust's `{ let s = …; s.name() }`.
          const name = this.sessions.get(this.id).value.name;
          this.state = { tag: 'AwaitDb', name, save: this.db.save(name) };
          continue;
        }
        case 'AwaitDb': {
          const saved = this.state.save.poll(cx);
          if (!saved.ready) return Pending;
          const name = this.state.name;
          this.state = { tag: 'Done' };
          // The session may have changed while we waited: read it again.
          const visits = this.sessions.get(this.id).value.visits;
          return Ready(`${name} saved as row ${saved.value}; ${visits} visits`);
        }
        case 'Done':
          throw new Error('HandleRequest polled after it finished');
      }
    }
  }
}

/** Starts one request on the (multi-threaded, as far as types go) executor. */
export function serve(executor: Executor, id: string, sessions: Sessions, db: Db): JoinHandle<string> {
  return executor.spawn(new HandleRequest(id, sessions, db));
}
