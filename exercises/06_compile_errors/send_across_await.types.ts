// Type checks for send_across_await: compiled together with your file, never run.
//
// How to read a failure here:
// - an error on the `executor.spawn(new HandleRequest(…))` line means your
//   HandleRequest still holds a `Local` in a field TypeScript can see: find
//   the state that keeps it while the save is pending.
// - "this line should fail to type-check with TS2345, but it compiles" on the
//   HoldsLocal line would mean the executor's Send check no longer works.
import { expectTypeOf } from 'vitest';
import { Pending, type Context, type Poll } from '../_lib/future';
import { Local, type Executor, type JoinHandle } from '../_lib/runtime';
import { HandleRequest, serve, type Db, type Sessions } from './send_across_await';

declare const executor: Executor;
declare const sessions: Sessions;
declare const db: Db;

// Your request, once it lets the Local go before the await, is Send.
export const handle: JoinHandle<string> = executor.spawn(new HandleRequest('u1', sessions, db));
expectTypeOf(serve).returns.toEqualTypeOf<JoinHandle<string>>();
expectTypeOf<HandleRequest['poll']>().returns.toEqualTypeOf<Poll<string>>();

// A future that keeps a Local in its waiting state is refused, as before.
class HoldsLocal {
  state: { tag: 'AwaitDb'; session: Local<string> } = { tag: 'AwaitDb', session: new Local('s') };
  poll(_cx: Context): Poll<number> {
    return Pending;
  }
}
// @ts-expect-error TS2345 a future holding a Local is not Send, so spawn refuses it
export const refused = executor.spawn(new HoldsLocal());
