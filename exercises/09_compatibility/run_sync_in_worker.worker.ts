// The worker side of the sync bridge, shipped with the checks (you do not edit it; read it to see
// the protocol your bridge must speak).
//
// 1. The first message on the worker's own channel (`worker.postMessage`) is
//    { port: MessagePort, signal: Int32Array } — the port is transferred, the Int32Array views a
//    SharedArrayBuffer of at least 4 bytes.
// 2. Every message on `port` is a request { id: number, name: string, args: unknown[] }. The
//    worker runs the async function `name` with `args` (several at once if asked: they overlap).
// 3. For each request it posts one reply on `port`: { id, ok: true, value } or
//    { id, ok: false, message } (the thrown error's message), with the request's own id; then it
//    adds 1 to signal[0] and calls Atomics.notify(signal, 0). Replies come in the order the
//    functions finish, which need not be the order they were asked for.
// 4. When the main thread closes its end, the worker tells the check ('port closed').
import { parentPort, threadId, workerData, type MessagePort } from 'node:worker_threads';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const secret = typeof workerData === 'object' && workerData !== null ? String(Reflect.get(workerData, 'secret')) : '';

const functions: Record<string, (...args: never[]) => Promise<unknown>> = {
  add: async (a: number, b: number) => {
    await sleep(1);
    return a + b;
  },
  echo: async (value: unknown) => value,
  sleepEcho: async (ms: number, value: unknown) => {
    const started = performance.now();
    await sleep(ms);
    return { value, sleptMs: performance.now() - started, threadId };
  },
  fail: async (message: string) => {
    await sleep(1);
    throw new Error(message);
  },
  whoAmI: async (nonce: string) => {
    await sleep(1);
    return { threadId, signed: `${nonce}:${secret}` };
  },
};

function isInit(m: unknown): m is { port: MessagePort; signal: Int32Array } {
  return typeof m === 'object' && m !== null && Reflect.get(m, 'signal') instanceof Int32Array && typeof Reflect.get(m, 'port')?.postMessage === 'function';
}

// Tells the check that this module has loaded (booting a .ts worker takes a moment).
parentPort?.postMessage('ready');

parentPort?.once('message', (init: unknown) => {
  if (!isInit(init)) {
    throw new Error(
      'sync bridge worker: the first message must be { port, signal }: a MessagePort (listed in the transfer list) and an Int32Array over a SharedArrayBuffer',
    );
  }
  const { port, signal } = init;
  port.on('close', () => parentPort?.postMessage('port closed'));
  port.on('message', async (request: { id: number; name: string; args: unknown[] }) => {
    const { id, name, args } = request;
    let reply: { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };
    try {
      const fn = functions[name];
      if (fn === undefined) throw new Error(`no function named ${String(name)}`);
      reply = { id, ok: true, value: await Reflect.apply(fn, undefined, Array.isArray(args) ? args : []) };
    } catch (error) {
      reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});
