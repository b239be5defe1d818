// run_sync_in_worker: a synchronous call whose work is async, on another thread.
//
// Goal: some code must stay synchronous (a sync callback, a sync plugin
// API, a getter) but needs a result that only async code can produce.
// On the main thread you cannot wait for a Promise synchronously: its
// callbacks run only after your code returns. A worker thread has its own
// event loop, so it can do the async work while the main thread sleeps.
//
//   main thread                         worker thread
//   callSync('add', [2, 3]) ──request─▶ await add(2, 3)
//     Atomics.wait(signal)  ...asleep...   │
//     ◀──────────────────────────reply──── post reply, Atomics.notify
//   receiveMessageOnPort(port) → 5
//
// `createSyncBridge(worker)` sets this up and returns `callSync`. The
// worker side is given (run_sync_in_worker.worker.ts: read it for the
// protocol). You write the main thread's side:
//
//   - make a SharedArrayBuffer, an Int32Array over it, and a
//     MessageChannel; send the worker { port: port2, signal } once, with
//     port2 in the transfer list;
//   - callSync(name, args, timeoutMs = 5000): post { id, name, args } with
//     a fresh id on port1, then sleep with Atomics.wait on signal[0] until
//     the worker's notify (or the time left runs out), and take replies
//     with receiveMessageOnPort(port1) — the only way to read a port
//     without returning to the event loop;
//   - a reply with another id is a late answer to an earlier call that
//     timed out: drop it and keep waiting for yours;
//   - return `value`; for { ok: false } throw an Error with the worker's
//     message; after timeoutMs without your reply, throw an Error whose
//     message says it "timed out";
//   - close() closes port1 (the checks terminate the worker).
//
// TODO: the set-up in createSyncBridge.
// TODO: callSync, with a sequence id on every request.
//
// Rust equivalent: from a thread that is not a runtime worker, tokio's
// `Handle::block_on(fut)` blocks it until the future completes; inside
// the runtime, `tokio::task::block_in_place` first hands this worker's
// other tasks away (multi-threaded runtime only). A sync-over-channel
// bridge is `std::sync::mpsc::Receiver::recv_timeout`.

import type { Worker } from 'node:worker_threads';

export interface SyncBridge {
  /** Runs the worker's async function `name` and returns its result, synchronously. */
  callSync(name: string, args: unknown[], timeoutMs?: number): unknown;
  /** Closes the bridge's port. */
  close(): void;
}

export function createSyncBridge(worker: Worker): SyncBridge {
  void worker;
  return {
    callSync(name) {
      throw new Error(`TODO: callSync(${name})`);
    },
    close() {},
  };
}
