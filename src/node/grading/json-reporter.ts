import type { GradedExercise } from '../../core/grading.js';
import type { GradeReporter, GradeStart } from './reporter.js';
import type { Sink } from './files.js';

/*
 * grades.json: per student, per exercise, per test. Only what the same submission always produces
 * goes in (no times, durations or temp paths: those are run metadata, in grades-run.json), so
 * grading the same class twice gives the same bytes.
 */
export function jsonReporter(sink: Sink): GradeReporter {
  let start: GradeStart | undefined;
  let exercises: GradedExercise[] = [];
  return {
    onStart(s) {
      start = s;
      exercises = s.exercises;
    },
    async onEnd({ students }) {
      const doc = {
        format: 1,
        course: start?.course,
        max: exercises.reduce((n, e) => n + e.points, 0),
        exercises: exercises.map((e) => ({ name: e.name, topic: e.dir, points: e.points })),
        students,
      };
      await sink(`${JSON.stringify(doc, null, 2)}\n`);
    },
  };
}
