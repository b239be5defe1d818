import type { HostClient } from './host-client.js';

/** What a wait returns when whatever it waited for did not answer in time. */
export const TIMED_OUT = Symbol('timed out');

/** `p`, or TIMED_OUT once the host has said nothing for `silentMs`. */
export async function whileHeard<T>(host: HostClient, p: Promise<T>, silentMs: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setInterval(() => Date.now() - host.lastHeard > silentMs && resolve(TIMED_OUT), 250);
  });
  return Promise.race([p, silent]).finally(() => clearInterval(timer));
}

export function withDeadline<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
