import type { GradeReporter, GradeStart } from './reporter.js';
import type { Sink } from './files.js';

/** grades-run.json: what varies between runs of the same input — when, how long, how isolated. */
export function runReporter(sink: Sink, about: { version: string }): GradeReporter {
  let start: GradeStart | undefined;
  const startedAt = new Date();
  return {
    onStart(s) {
      start = s;
    },
    async onEnd({ students, durationMs, durations }) {
      const doc = {
        format: 1,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs,
        asyncLessons: about.version,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        course: start?.course,
        jobs: start?.jobs,
        isolation: start?.isolation,
        submissions: students.map((s) => ({ student: s.student, durationMs: durations.get(s.student) ?? 0 })),
      };
      await sink(`${JSON.stringify(doc, null, 2)}\n`);
    },
  };
}
