import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { memoryMb } from './stats.js';

/*
 * Wall time and peak memory of a command and every process under it (hosts, their
 * bubblewrap wrappers, test workers), sampled from /proc every 100 ms: Linux only. The sum is
 * over the tree at each sample, so the peak is of all processes together, not of the largest one.
 */

/** Proportional set size (shared pages split between their users), in bytes; 0 if unreadable. */
function pss(pid: number): number {
  try {
    return memoryMb(pid).pss * 1048576 || 0;
  } catch {
    return 0;
  }
}

/** Every process of the machine: its parent and RSS. */
function processes(): { parent: Map<number, number>; rss: Map<number, number> } {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, Number(fields[1]));
      rss.set(pid, Number(fields[21]) * 4096);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return { parent, rss };
}

/** `root` and every process under it, with its RSS. */
function tree(root: number): Map<number, number> {
  const { parent, rss } = processes();
  const out = new Map<number, number>();
  for (const [pid, bytes] of rss) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        out.set(pid, bytes);
        break;
      }
    }
  }
  return out;
}

function treeMemory(root: number): { rss: number; pss: number } {
  const sum = { rss: 0, pss: 0 };
  for (const [pid, bytes] of tree(root)) {
    sum.rss += bytes;
    sum.pss += pss(pid);
  }
  return sum;
}

/**
 * Peak RSS sums count the node binary and libraries once per process; peak PSS splits them.
 * Exit codes in `okCodes` are not failures (vitest exits 1 when a test fails); past `deadlineMs`
 * the command and every process under it are killed and the measurement fails, rather than the
 * bench waiting for ever on a hang.
 */
export function measureCommand(file: string, args: string[], cwd: string, options: { okCodes?: number[]; deadlineMs?: number } = {}): Promise<{ ms: number; peakRssMb: number; peakPssMb: number }> {
  const okCodes = options.okCodes ?? [0];
  const started = performance.now();
  const child = spawn(file, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let late = false;
  const deadline = setTimeout(() => {
    late = true;
    // The whole tree: a worker stuck in a loop would not notice its parent's death.
    for (const pid of child.pid === undefined ? [] : tree(child.pid).keys()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }, options.deadlineMs ?? 30 * 60_000);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
  const peak = { rss: 0, pss: 0 };
  const timer = setInterval(() => {
    if (child.pid === undefined) return;
    const now = treeMemory(child.pid);
    peak.rss = Math.max(peak.rss, now.rss);
    peak.pss = Math.max(peak.pss, now.pss);
  }, 100);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearInterval(timer);
      clearTimeout(deadline);
      if (late) reject(new Error(`${file} ${args.join(' ')} did not finish in ${Math.round((options.deadlineMs ?? 30 * 60_000) / 1000)} s: killed`));
      else if (!okCodes.includes(code ?? -1)) reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ ms: performance.now() - started, peakRssMb: Math.round(peak.rss / 1024 / 1024), peakPssMb: Math.round(peak.pss / 1024 / 1024) });
    });
  });
}
