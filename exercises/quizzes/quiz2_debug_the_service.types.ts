// Type fixture for quiz2_debug_the_service. How to read its failures: an error on a line without
// `@ts-expect-error` means that line must compile and does not; "Unused '@ts-expect-error'" means
// a line that must fail (with the code named) now compiles.
import { type Future, Ready } from '../_lib/future';
import { Executor, Local } from '../_lib/runtime';
import { Handler, type Service } from './quiz2_debug_the_service';

declare const svc: Service;
const ex = new Executor();

// The Handler must be Send: nothing it keeps between polls (a field) may reach a Local, such as the
// guard SyncCell.borrowMut() returns. If this line fails, a guard lives in the Handler across a wait.
ex.spawn(new Handler(svc, 'ann', 'hello'));

// The Send check itself is intact: a future that holds a Local is refused.
class HoldsGuard implements Future<void> {
  readonly guard = new Local({ held: true });
  poll() {
    return Ready(undefined);
  }
}
// @ts-expect-error TS2345
ex.spawn(new HoldsGuard());
