// node_runtime: the adapter that lets retry run on Node's own timers.
//
// The library asks for a Runtime; this file is the one place that knows
// Node's timers and clock. A program on Node passes `nodeRuntime`; a test
// passes a virtual runtime; another platform passes its own adapter.
//
// TODO: sleep(ms) resolves after `ms` ms of setTimeout; now() reads
//       Date.now() (or performance.now()).
//
// Rust equivalent: backon's `TokioSleeper`, an implementation of its
// `Sleeper` trait on `tokio::time::sleep`.

import type { Runtime } from './runtime_agnostic_lib';

export const nodeRuntime: Runtime = {
  sleep() {
    throw new Error('TODO: nodeRuntime.sleep');
  },
  now() {
    throw new Error('TODO: nodeRuntime.now');
  },
};
