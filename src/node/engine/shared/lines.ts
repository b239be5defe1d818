import type { Socket } from 'node:net';

/** Calls `onLine` for each newline-terminated line that arrives on `conn` (one at a time, in order). */
export function lines(conn: Socket, onLine: (line: string) => void | Promise<void>): void {
  let buffered = '';
  let queue: Promise<void> = Promise.resolve();
  conn.setEncoding('utf8');
  conn.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== '') queue = queue.then(() => onLine(line)).catch(() => {});
    }
  });
}
