import { appendFile } from 'node:fs/promises';
import type { ExerciseGrade, StudentGrade } from '../../core/grading.js';
import type { Sink } from './files.js';
import type { GradeReporter } from './reporter.js';

/*
 * GitHub Classroom: each student's repository is graded by its own CI run, so `grade --classroom`
 * grades one submission and speaks the autograding actions' language. The runner result is the
 * shape classroom-resources' graders hand to autograding-grading-reporter (version 1, a status,
 * max_score, a test per exercise with its score), base64-encoded as the step output `result`;
 * `Points X/Y` is the line Classroom reads as the score. Nothing timing-dependent goes in.
 */

type Status = 'pass' | 'fail' | 'error';

const testStatus = (e: ExerciseGrade): Status => (e.status === 'passed' ? 'pass' : e.status === 'not-graded' || e.status === 'refused' ? 'error' : 'fail');

export function classroomResult(s: StudentGrade) {
  const tests = s.exercises.map((e) => ({
    name: e.exercise,
    status: testStatus(e),
    score: e.points,
    max_score: e.max,
    message: e.status === 'passed' ? null : `${e.status}: ${e.reason ?? e.status}`,
    test_code: `async-lessons run ${e.exercise}`,
    filename: '',
    line_no: 0,
  }));
  const status: Status = tests.some((t) => t.status === 'error') ? 'error' : tests.every((t) => t.status === 'pass') ? 'pass' : 'fail';
  return { version: 1, status, max_score: s.max, tests };
}

export const pointsLine = (s: StudentGrade) => `Points ${s.points}/${s.max}`;

/**
 * Prints `Points X/Y` last, writes the result to `grades-classroom.json`, and, inside GitHub
 * Actions (GITHUB_OUTPUT set), makes it the step's `result` output for the grading reporter.
 */
export function classroomReporter(print: (line: string) => void, sink: Sink, githubOutput: string | undefined): GradeReporter {
  return {
    async onEnd({ students }) {
      const s = students[0];
      if (!s) return;
      const result = classroomResult(s);
      await sink(`${JSON.stringify(result, null, 2)}\n`);
      if (githubOutput) await appendFile(githubOutput, `result=${Buffer.from(JSON.stringify(result)).toString('base64')}\n`);
      print(pointsLine(s));
    },
  };
}
