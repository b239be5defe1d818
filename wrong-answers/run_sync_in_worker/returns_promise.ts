// @rejects returns a plain value, synchronously
// Mistake: waits for the reply with port.once('message') and returns a Promise: the caller, which is synchronous, gets a Promise instead of the value.
// run_sync_in_worker: a synchronous call whose work is async, on another thread.
//
// Rust equivalent: tokio's `Handle::block_on(fut)` from a thread that is not a runtime worker.

import { MessageChannel, type Worker } from 'node:worker_threads';

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
  port1.unref();
  let nextId = 0;
  return {
    callSync(name, args) {
      nextId += 1;
      const id = nextId;
      port1.postMessage({ id, name, args });
      return new Promise((resolve, reject) => {
        const onReply = (reply: Reply) => {
          if (reply.id !== id) return;
          port1.off('message', onReply);
          if (reply.ok) resolve(reply.value);
          else reject(new Error(reply.message));
        };
        port1.on('message', onReply);
      });
    },
    close() {
      port1.close();
    },
  };
}
