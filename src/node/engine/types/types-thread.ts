// The type checker's thread (bundled to dist/check-types.js), started by the engine in the CLI's
// process. A type check is about a second of synchronous work when cold and tens of ms when warm;
// on the main thread it would freeze the screen. Here it runs beside the runtime check in the
// host: a one-shot `run` waits for the longer of the two, not for both.
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { TypeService } from './type-check.js';
import type { TypeFile } from '../shared/protocol.js';
import type { TypeDiagnostic } from '../../../core/verdict.js';

/**
 * A check of one exercise's files (in `scope`'s program, when the checker serves several
 * submissions); `prepare` puts a submission's files in its program ahead of its checks; `forget`
 * drops a submission's files once it is graded.
 */
export type TypesRequest =
  | { id: number; files: TypeFile[]; scope?: string }
  | { id: number; prepare: TypeFile[]; scope: string }
  | { id: number; forget: string };
export type TypesReply = { id: number; diagnostics: TypeDiagnostic[]; ms: number } | { id: number; error: string };

// Loaded and primed at once (lib.d.ts and @types/node parsed, ~0.7 s), while the host starts
// vitest: the first real check then only checks the learner's files.
const service = new TypeService();
service.check([{ path: '/async-lessons-types-probe/probe.ts', display: 'probe.ts', content: 'export const n: number = 1;\n', learner: true, fixture: false }]);

parentPort?.on('message', (msg: TypesRequest) => {
  const started = Date.now();
  try {
    if ('forget' in msg) {
      service.forget(msg.forget);
      collect();
    } else if ('prepare' in msg) service.prepare(msg.scope, msg.prepare);
    const diagnostics = 'files' in msg ? service.check(msg.files, msg.scope) : [];
    parentPort!.postMessage({ id: msg.id, diagnostics, ms: Date.now() - started } satisfies TypesReply);
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, error: String((error as Error)?.stack ?? error) } satisfies TypesReply);
  }
});

/**
 * A full garbage collection, once a graded submission's program is let go. V8 grows a busy
 * thread's heap rather than collect it, so a grader's checker kept every old program's garbage:
 * ~20 MB more per submission (478 MB for the grader after 8), where one collection per
 * submission (tens of ms beside its ~10 s of checks) keeps it flat. `gc` is exposed only to a
 * context made after the flag is set, hence the new context.
 */
let gc: (() => void) | undefined;
function collect(): void {
  try {
    if (!gc) {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
  } catch {
    // Only memory is at stake.
  }
}
