// node_runtime: the adapter that lets retry run on Node's own timers.
//
// The one place that knows Node's timers and clock.
//
// Rust equivalent: backon's `TokioSleeper`, an implementation of its
// `Sleeper` trait on `tokio::time::sleep`.

import type { Runtime } from './runtime_agnostic_lib';

export const nodeRuntime: Runtime = {
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now() / 1000,
};
