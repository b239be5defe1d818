// send_across_await: a value that may not cross threads, alive across an await.
//
// "Since async Rust often depends on more complex language features, such as
// lifetimes and pinning, you may encounter these types of errors more
// frequently."
//
// `HandleRequest` is the state machine the compiler would write for
//
//     async fn handle(id: String) -> String {
//         let s = Rc::new(sessions.get(&id));   // Rc: not Send
//         let row = db.save(s.name()).await;    // s is still alive here…
//         format!("{} saved as row {row}; {} visits", s.name(), s.visits) // …because it is used here
//     }
//
// Everything alive across an `.await` becomes a field of the waiting state.
// Here the waiting state `AwaitDb` holds the `Local` session, so the future
// holds a `Local` while it waits, and the multi-threaded executor refuses it:
// open this file in your editor and read the error on `executor.spawn(…)`
// (TS2345: the future "is not assignable to parameter of type 'never'").
//
// Goal: `serve` compiles and spawns the request, which finishes with
// "<name> saved as row <row>; <visits> visits", where `visits` is what the
// session says *after* the save (saving counts a visit).
//
// Rules:
//   - take the plain values you need out of the Local before the await, and
//     let the Local go: no Local in any field of the waiting state, nor in a
//     closure or anywhere else that outlives the poll that returns Pending;
//   - after the save, look the session up again (`sessions.get(id)`);
//   - no `private`/`#` fields, no `any`, no `as` casts, no `@ts-…` comments
//     (they would hide the Local from the check instead of letting it go).
//
// TODO: change the AwaitDb state so it keeps the name, not the session.
// TODO: after the save, get a fresh Local for the visit count.
//
// Rust equivalent: rustc's E0277 "`Rc<Session>` cannot be sent between threads
// safely … required because it appears within the type `{async fn body}`" on
// `tokio::spawn`; the fix is to scope the Rc (`let name = { let s = …; s.name() };`)
// so it is dropped before the `.await`.

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
  | { tag: 'AwaitDb'; session: Local<Session>; save: Future<number> }
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
          const session = this.sessions.get(this.id);
          this.state = { tag: 'AwaitDb', session, save: this.db.save(session.value.name) };
          continue;
        }
        case 'AwaitDb': {
          const saved = this.state.save.poll(cx);
          if (!saved.ready) return Pending;
          const s = this.state.session.value;
          this.state = { tag: 'Done' };
          return Ready(`${s.name} saved as row ${saved.value}; ${s.visits} visits`);
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
