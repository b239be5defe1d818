import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/*
 * `grade --classroom-setup`: the workflow a GitHub Classroom assignment needs so that each student's
 * repository is graded by its own CI run with this very version of the package (the checks a
 * student is graded with must not change under them when a new version is published).
 */

export const WORKFLOW_PATH = '.github/workflows/classroom.yml';

/** Only what a topic or exercise name can hold goes on the command line of the workflow. */
const SAFE_WORD = /^[A-Za-z0-9_.-]+$/;

export function classroomWorkflow(version: string, only: readonly string[] | undefined): string {
  const words = only ?? [];
  if (words.some((w) => !SAFE_WORD.test(w))) throw new Error(`not a topic or exercise name: ${words.find((w) => !SAFE_WORD.test(w))}`);
  const select = words.length > 0 ? ` --only ${words.join(',')}` : '';
  return `# Written by \`async-lessons grade --classroom-setup\` (async-lessons ${version}).
# Grades this repository with the pristine checks of async-lessons ${version} and reports the
# points to GitHub Classroom; each student's feedback file is kept as an artifact.
name: Autograding Tests
on: [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Grade with the course's pristine checks
        id: grade
        run: npx --yes async-lessons@${version} grade .${select} --classroom --out grades
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: feedback
          path: grades/feedback/
      - name: Report to GitHub Classroom
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          GRADE_RESULTS: "\${{ steps.grade.outputs.result }}"
        with:
          runners: grade
`;
}

/** Writes the workflow into `repo`; an existing different file is left alone (returned as 'differs'). */
export async function writeClassroomWorkflow(repo: string, text: string): Promise<'written' | 'unchanged' | 'differs'> {
  const file = path.join(repo, WORKFLOW_PATH);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === text) return 'unchanged';
  if (existing !== undefined) return 'differs';
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return 'written';
}
