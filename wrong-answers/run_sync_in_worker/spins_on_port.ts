// @rejects this process used
// Mistake: spins on receiveMessageOnPort instead of sleeping on Atomics.wait: right answers, a core burnt while waiting.
// run_sync_in_worker: a synchronous call whose work is async, on another thread.
//
// The worker does the async work on its own event loop; the main thread sleeps on Atomics.wait
// until the worker bumps the shared counter, then reads the reply with receiveMessageOnPort.
// Every request carries a sequence id, so a late reply to a call that timed out is recognised and
// dropped.
//
// Rust equivalent: from a thread that is not a runtime worker, tokio's
// `Handle::block_on(fut)` blocks it until the future completes; inside
// the runtime, `tokio::task::block_in_place` first hands this worker's
// other tasks away (multi-threaded runtime only). A sync-over-channel
// bridge is `std::sync::mpsc::Receiver::recv_timeout`.

import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';

export interface SyncBridge {
  /** Runs the worker's async function `name` and returns its result, synchronously. */
  callSync(name: string, args: unknown[], timeoutMs?: number): unknown;
  /** Closes the bridge's port. */
  close(): void;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  message?: string;
}

export function createSyncBridge(worker: Worker): SyncBridge {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ port: port2, signal }, [port2]);
  let nextId = 0;

  return {
    callSync(name, args, timeoutMs = 5000) {
      nextId += 1;
      const id = nextId;
      const deadline = performance.now() + timeoutMs;
      port1.postMessage({ id, name, args });
      for (;;) {
        // Read the counter before draining: a notify after the drain changes it, so wait returns at once.
        const seen = Atomics.load(signal, 0);
        for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) {
          const reply: Reply = m.message;
          if (reply.id !== id) continue; // a late reply to a call that already timed out
          if (reply.ok) return reply.value;
          throw new Error(reply.message);
        }
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`callSync(${name}): timed out after ${timeoutMs} ms`);
        void seen; // spin: look at the port again straight away
      }
    },
    close() {
      port1.close();
    },
  };
}
