import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import {
  CourseFileSchema,
  ExerciseFileSchema,
  FORMAT_VERSION,
  normalizeExercise,
  type Course,
  type Exercise,
} from './course-schema.js';

/** One thing wrong with a course, reported as `exercise <name>: <field>: <message>`. */
export interface Problem {
  exercise?: string;
  field: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return p.exercise !== undefined ? `exercise ${p.exercise}: ${p.field}: ${p.message}` : `info.toml: ${p.field}: ${p.message}`;
}

export type ParseResult = { ok: true; course: Course } | { ok: false; problems: Problem[]; tooNew: boolean };

const fieldOf = (issue: z.core.$ZodIssue): string => (issue.path.length > 0 ? issue.path.join('.') : '(entry)');

/** Is the value at `path` absent from what was written? (zod does not echo inputs back.) */
function absent(raw: unknown, path: PropertyKey[]): boolean {
  let at: unknown = raw;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !(key in at)) return true;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at === undefined;
}

function issuesToProblems(issues: z.core.$ZodIssue[], raw: unknown, exercise?: string): Problem[] {
  return issues.flatMap((issue) => {
    // Unknown keys name the object they sit in; report each key as its own field.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ exercise, field: [...issue.path, key].join('.'), message: 'unknown field (a typo?)' }));
    }
    const message = issue.path.length > 0 && absent(raw, issue.path) ? 'is required' : issue.message;
    return [{ exercise, field: fieldOf(issue), message }];
  }) as Problem[];
}

/** Parses and validates info.toml text. Every problem is reported at once, none thrown. */
export function parseCourse(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : '';
    const first = String((error as Error).message).split('\n')[0];
    return { ok: false, tooNew: false, problems: [{ field: 'syntax', message: `not valid TOML${where}: ${first}` }] };
  }

  const version = (raw as { format_version?: unknown }).format_version;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    return {
      ok: false,
      tooNew: true,
      problems: [
        {
          field: 'format_version',
          message: `this course uses format ${version}, but this async-lessons understands up to ${FORMAT_VERSION}: update async-lessons (npm install -g async-lessons@latest, or npx async-lessons@latest)`,
        },
      ],
    };
  }

  const top = CourseFileSchema.safeParse(raw);
  const problems: Problem[] = top.success ? [] : issuesToProblems(top.error.issues, raw);
  const entries = Array.isArray((raw as { exercises?: unknown }).exercises) ? ((raw as { exercises: unknown[] }).exercises) : [];

  const exercises: Exercise[] = [];
  entries.forEach((entry, index) => {
    const named = (entry as { name?: unknown } | null)?.name;
    const label = typeof named === 'string' && named.length > 0 ? named : `#${index + 1}`;
    const parsed = ExerciseFileSchema.safeParse(entry);
    if (!parsed.success) problems.push(...issuesToProblems(parsed.error.issues, entry, label));
    else exercises.push(normalizeExercise(parsed.data));
  });

  problems.push(...courseRules(exercises));
  const topics = new Set(exercises.map((e) => e.dir));
  for (const [kind, dir] of Object.entries(top.data?.diagnosis_lessons ?? {})) {
    if (dir !== undefined && !topics.has(dir)) problems.push({ field: `diagnosis_lessons.${kind}`, message: `no exercise lives in "${dir}", so there is no lesson there to point to` });
  }
  if (problems.length > 0 || !top.success) return { ok: false, tooNew: false, problems };
  const t = top.data;
  return {
    ok: true,
    course: {
      formatVersion: t.format_version,
      name: t.name,
      version: t.version,
      welcomeMessage: t.welcome_message,
      finalMessage: t.final_message,
      diagnosisLessons: t.diagnosis_lessons ?? {},
      exercises,
    },
  };
}

/** Cross-entry rules that a per-entry schema cannot see. */
export function courseRules(exercises: Exercise[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (const e of exercises) {
    seen.set(e.name, (seen.get(e.name) ?? 0) + 1);
    const files = [...e.learnerFiles, ...e.checkFiles, e.testFile];
    const dup = files.find((f, i) => files.indexOf(f) !== i);
    if (dup !== undefined) problems.push({ exercise: e.name, field: 'files', message: `"${dup}" is listed twice (learner files, checks and the test file must differ)` });
    if (e.dir.startsWith('_')) problems.push({ exercise: e.name, field: 'dir', message: 'folders starting with _ hold shared course code, not exercises' });
    for (const f of [...e.learnerFiles.slice(1), ...e.checkFiles]) {
      if (!/\.(ts|mts|tsx|js|mjs|json|txt)$/.test(f)) problems.push({ exercise: e.name, field: 'files', message: `"${f}" has an extension the runner does not copy (.ts .mts .tsx .js .mjs .json .txt)` });
    }
  }
  for (const [name, count] of seen) {
    if (count > 1) problems.push({ exercise: name, field: 'name', message: `is used by ${count} exercises; names must be unique` });
  }
  return problems;
}
