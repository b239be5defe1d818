// ASYNC_LESSONS_TRACE=1 prints where a command's time goes (ms since the process started), for
// profiling one-shot commands; silent otherwise.
const on = process.env.ASYNC_LESSONS_TRACE === '1';

export function trace(what: string): void {
  if (on) process.stderr.write(`[trace ${Math.round(performance.now())} ms] ${what}\n`);
}
