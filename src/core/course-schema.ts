import { z } from 'zod';

/** The newest info.toml format this runner understands. */
export const FORMAT_VERSION = 1;

const segment = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a plain folder or file name (letters, digits, _ . -)');

// A path inside the exercise's topic folder: no absolute paths, no `..`, so a course cannot make the
// runner copy or read files from outside itself.
const relativeFile = z
  .string()
  .min(1, 'must not be empty')
  .refine((p) => !p.startsWith('/') && !p.split('/').some((s) => s === '..' || s === '' || s === '.'), {
    message: 'must be a path inside the exercise folder (no leading /, no ..)',
  });

export const CAPABILITIES = ['workers'] as const;

/** One `[[exercises]]` entry as written in info.toml. */
export const ExerciseFileSchema = z.strictObject({
  name: segment,
  dir: segment,
  hint: z.union([z.string().min(1, 'must not be empty'), z.array(z.string().min(1, 'must not be empty')).min(1, 'needs at least one hint')]),
  rust: z.string().min(1, 'must not be empty').optional(),
  chapter: z.string().min(1, 'must not be empty').optional(),
  kind: z.enum(['runtime', 'types', 'mixed']).default('runtime'),
  timeout_ms: z.number().int().min(100, 'must be at least 100').max(120_000, 'must be at most 120000').optional(),
  skip_check_unsolved: z.boolean().default(false),
  points: z.number().int().min(0, 'must not be negative').default(1),
  allow: z.array(z.enum(CAPABILITIES)).default([]),
  files: z.array(relativeFile).default([]),
  checks: z.array(relativeFile).default([]),
  wall: z.boolean().default(false),
});

/** info.toml as written. */
export const CourseFileSchema = z.strictObject({
  format_version: z.number().int().min(1),
  name: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  welcome_message: z.string().optional(),
  final_message: z.string().optional(),
  // Which topic's lesson explains each diagnosed hang; the verdict then points the learner there.
  diagnosis_lessons: z
    .strictObject({ 'blocked-event-loop': segment.optional(), 'never-settled': segment.optional(), 'open-handles': segment.optional() })
    .optional(),
  exercises: z.array(z.unknown()).min(1, 'the course needs at least one exercise'),
});

export type ExerciseFile = z.infer<typeof ExerciseFileSchema>;
export type ExerciseKind = ExerciseFile['kind'];

/** An exercise, normalised: paths are relative to the course's `exercises/` folder. */
export interface Exercise {
  name: string;
  dir: string;
  kind: ExerciseKind;
  hints: string[];
  rust: string | undefined;
  chapter: string | undefined;
  timeoutMs: number | undefined;
  skipCheckUnsolved: boolean;
  points: number;
  allow: string[];
  wall: boolean;
  /** The file the learner edits first: `<dir>/<name>.ts`. */
  mainFile: string;
  /** Every learner-editable file, main file first. */
  learnerFiles: string[];
  /** The runtime check file, `<dir>/<name>.test.ts` (types-only exercises may have none on disk). */
  testFile: string;
  /** Extra check and fixture files (type fixtures, drivers). */
  checkFiles: string[];
}

export interface Course {
  formatVersion: number;
  name: string | undefined;
  version: string | undefined;
  welcomeMessage: string | undefined;
  finalMessage: string | undefined;
  /** Diagnosis kind → the topic folder whose lesson explains it. */
  diagnosisLessons: Partial<Record<'blocked-event-loop' | 'never-settled' | 'open-handles', string>>;
  exercises: Exercise[];
}

export function normalizeExercise(e: ExerciseFile): Exercise {
  const inDir = (f: string) => `${e.dir}/${f}`;
  const mainFile = inDir(`${e.name}.ts`);
  return {
    name: e.name,
    dir: e.dir,
    kind: e.kind,
    hints: typeof e.hint === 'string' ? [e.hint] : e.hint,
    rust: e.rust,
    chapter: e.chapter,
    timeoutMs: e.timeout_ms,
    skipCheckUnsolved: e.skip_check_unsolved,
    points: e.points,
    allow: e.allow,
    wall: e.wall,
    mainFile,
    learnerFiles: [mainFile, ...e.files.map(inDir)],
    testFile: inDir(`${e.name}.test.ts`),
    checkFiles: e.checks.map(inDir),
  };
}

/** The workspace path of the lesson that explains a diagnosis, if the course names one. */
export function diagnosisLessonFile(lessons: Course['diagnosisLessons'] | undefined, kind: keyof Course['diagnosisLessons']): string | undefined {
  const dir = lessons?.[kind];
  return dir === undefined ? undefined : `exercises/${dir}/README.md`;
}
