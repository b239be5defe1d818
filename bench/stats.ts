import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Wall time of one command run to its end, in ms; exit codes in `okCodes` are not failures. */
export async function timeCommand(file: string, args: string[], cwd: string, okCodes = [0], env: Record<string, string> = {}): Promise<number> {
  const s = performance.now();
  try {
    // A chatty command (grade prints a table per run) must not overflow the default 1 MB buffer.
    await exec(file, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (!okCodes.includes(code ?? -1)) throw error;
  }
  return performance.now() - s;
}

/** Median and p95 of a sample, with n. */
export function summary(xs: number[]): { median: number; p95: number; min: number; max: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  return { median: at(0.5), p95: at(0.95), min: s[0] ?? NaN, max: s.at(-1) ?? NaN, n: s.length };
}

export function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? '').length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(width[i]!)).join(' | ')} |`;
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c] ?? ''))))].join('\n');
}

/**
 * A process's memory in MB: PSS (each shared page split between the processes that map it: the
 * node binary and its libraries are mapped by every process of ours) and RSS. Summed over several
 * processes, PSS is what they cost together; RSS counts shared pages once per process.
 */
export function memoryMb(pid: number): { pss: number; rss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { pss: kb('Pss') / 1024, rss: kb('Rss') / 1024 };
  } catch {
    // No /proc (macOS): RSS from ps, for both.
    const rss = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
    return { pss: rss, rss };
  }
}

/** The pids of a host's process group (its session: the host is its leader), with their command lines. */
export function groupPids(pgid: number): Array<{ pid: number; args: string }> {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => ({ pid: Number(l.trim().split(/\s+/)[0]), args: l.trim().split(/\s+/).slice(1).join(' ') }));
  } catch {
    return [];
  }
}
