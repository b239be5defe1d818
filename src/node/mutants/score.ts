import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import type { VerdictStatus } from '../../core/verdict.js';
import type { Mutant, MutantKey } from './generate.js';

/** Where a course marks the surviving mutants of an exercise that no check could ever kill. */
export const marksFile = (exercise: string) => `wrong-answers/${exercise}/equivalent-mutants.toml`;

const MarkSchema = z.strictObject({
  mutator: z.string().min(1),
  original: z.string(),
  replacement: z.string(),
  context: z.string(),
  reason: z.string().trim().min(1, 'a mark needs a reason: why no learner-visible behaviour differs'),
});
const MarksSchema = z.strictObject({ equivalent: z.array(MarkSchema).default([]) });
export type Mark = z.infer<typeof MarkSchema>;

/** The marks in one equivalent-mutants.toml, or what is wrong with it. */
export function parseMarks(text: string): { marks: Mark[] } | { problems: string[] } {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    return { problems: [error instanceof TomlError ? `is not valid TOML: ${error.message.split('\n')[0]}` : String(error)] };
  }
  const parsed = MarksSchema.safeParse(raw);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`) };
  return { marks: parsed.data.equivalent };
}

const sameKey = (a: MutantKey, b: MutantKey) => a.mutator === b.mutator && a.original === b.original && a.replacement === b.replacement && a.context === b.context;

/** The TOML a course author pastes to mark `m` as equivalent (with a reason of their own). */
export function markFor(m: MutantKey): string {
  const q = (s: string) => JSON.stringify(s);
  return `[[equivalent]]\nmutator = ${q(m.mutator)}\noriginal = ${q(m.original)}\nreplacement = ${q(m.replacement)}\ncontext = ${q(m.context)}\nreason = "…"\n`;
}

export interface Outcome {
  mutant: Mutant;
  /** The verdict on the mutated solution: anything but `passed` kills it. */
  status: VerdictStatus;
}

export interface ExerciseScore {
  exercise: string;
  mutants: number;
  killed: number;
  /** Of the killed, those only the type check caught. */
  byTypes: number;
  /** How many mutants got each verdict (`failed`, `timeout`, `type-error`, … and `passed`). */
  verdicts: Partial<Record<VerdictStatus, number>>;
  equivalent: number;
  survived: number;
  /** Killed or marked equivalent, in per cent (100 for an exercise with no mutants). */
  score: number;
  survivors: Mutant[];
  /** Marks that no longer tell the truth. */
  problems: string[];
}

/** Scores one exercise's mutants against its marks, and keeps the marks honest. */
export function scoreExercise(exercise: string, outcomes: readonly Outcome[], marks: readonly Mark[]): ExerciseScore {
  const problems: string[] = [];
  const equivalent = new Set<Outcome>();
  for (const mark of marks) {
    const matched = outcomes.filter((o) => sameKey(o.mutant, mark));
    const where = `${mark.mutator} ${JSON.stringify(mark.original)} → ${JSON.stringify(mark.replacement)} in ${JSON.stringify(mark.context)}`;
    if (matched.length === 0) problems.push(`marks ${where}, which matches no mutant now (the solution changed?): remove or refresh the mark`);
    const killed = matched.filter((o) => o.status !== 'passed');
    if (killed.length > 0) problems.push(`${where} is marked equivalent but killed (${killed[0]!.status} at ${killed[0]!.mutant.file}:${killed[0]!.mutant.line}): remove the mark`);
    for (const o of matched) if (o.status === 'passed') equivalent.add(o);
  }
  const killed = outcomes.filter((o) => o.status !== 'passed');
  const survivors = outcomes.filter((o) => o.status === 'passed' && !equivalent.has(o)).map((o) => o.mutant);
  const mutants = outcomes.length;
  return {
    exercise,
    mutants,
    killed: killed.length,
    byTypes: killed.filter((o) => o.status === 'type-error').length,
    verdicts: Object.fromEntries([...new Set(outcomes.map((o) => o.status))].sort().map((k) => [k, outcomes.filter((o) => o.status === k).length])),
    equivalent: equivalent.size,
    survived: survivors.length,
    score: mutants === 0 ? 100 : Math.floor(((killed.length + equivalent.size) / mutants) * 1000) / 10,
    survivors,
    problems,
  };
}

/** One line per survivor: `solutions/<file>:LINE  - original  + replacement  (Mutator)`. */
export const survivorLine = (m: Mutant) => `solutions/${m.file}:${m.line}  - ${m.original}  + ${m.replacement}  (${m.mutator})`;

/** The per-exercise table, columns padded for a terminal. */
export function scoreTable(rows: readonly ExerciseScore[], target: number): string[] {
  const head = ['exercise', 'mutants', 'killed', 'by types', 'equivalent', 'survived', 'score', ''];
  const body = rows.map((r) => [r.exercise, r.mutants, r.killed, r.byTypes, r.equivalent, r.survived, `${r.score.toFixed(1)} %`, r.score < target ? `✗ below ${target} %` : ''].map(String));
  const all = rows.reduce((n, r) => n + r.mutants, 0);
  const ok = rows.reduce((n, r) => n + r.killed + r.equivalent, 0);
  const sum = (k: 'killed' | 'byTypes' | 'equivalent' | 'survived') => String(rows.reduce((n, r) => n + r[k], 0));
  const total = ['total', String(all), sum('killed'), sum('byTypes'), sum('equivalent'), sum('survived'), `${all === 0 ? '100.0' : (Math.floor((ok / all) * 1000) / 10).toFixed(1)} %`, ''];
  const table = [head, ...body, total];
  const widths = head.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table.map((r) => r.map((c, i) => (i === 0 || i === head.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}
