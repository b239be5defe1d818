import type { Verdict } from './verdict.js';

/** `// @rejects <text>` on a wrong answer's first lines: what must reject it. */
export function parseRejects(source: string): string | undefined {
  const m = /^\s*\/\/\s*@rejects\s+(.+?)\s*$/m.exec(source.split('\n').slice(0, 5).join('\n'));
  return m?.[1];
}

const KINDS = ['compile-error', 'type-error', 'timeout', 'crashed'] as const;

/**
 * Was a wrong answer rejected for the intended reason? `rejects` names a failing test (a substring
 * of its name), a verdict kind (`timeout`, `type-error`, …), or text of the failure message.
 */
export function judgeWrongAnswer(v: Verdict, rejects: string): { ok: true } | { ok: false; why: string } {
  if (v.status === 'passed') return { ok: false, why: 'it was accepted: every check passed' };
  if ((KINDS as readonly string[]).includes(rejects)) {
    return v.status === rejects ? { ok: true } : { ok: false, why: `expected a ${rejects} verdict, got ${v.status}` };
  }
  const failing = v.tests.filter((t) => t.state === 'failed');
  if (failing.some((t) => t.name.includes(rejects) || (t.message ?? '').includes(rejects))) return { ok: true };
  if (v.status === 'timeout' && (v.diagnosis.test ?? '').includes(rejects)) return { ok: true };
  if (v.status === 'type-error' && v.errors.some((e) => e.message.includes(rejects) || `TS${e.code}` === rejects)) return { ok: true };
  const got =
    failing.length > 0 ? `failing tests: ${failing.map((t) => `"${t.name}"`).join(', ')}` : v.status === 'failed' ? (v.reason ?? 'failed') : v.status;
  return { ok: false, why: `rejected for another reason (wanted "${rejects}"; ${got})` };
}

/** A learner file must say what to do: course authors mark the work with TODO. */
export const hasTodo = (source: string): boolean => /\bTODO\b/.test(source);
