import type { GradeReporter, GradeStart } from './reporter.js';
import type { Sink } from './files.js';

/*
 * grades.junit.xml, for CI dashboards and the tools that read JUnit: a test suite per student, a
 * test case per exercise. Like grades.json it holds nothing that varies between runs (no time
 * attributes), so it is byte-identical for the same input too.
 */

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Control characters are not allowed in XML 1.0, escaped or not.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitReporter(sink: Sink): GradeReporter {
  let start: GradeStart | undefined;
  return {
    onStart(s) {
      start = s;
    },
    async onEnd({ students }) {
      const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
      const failed = (s: (typeof students)[number]) => s.exercises.filter((e) => e.status !== 'passed' && e.status !== 'not-graded').length;
      const all = students.reduce((n, s) => n + s.exercises.length, 0);
      lines.push(`<testsuites name="${xml(`${start?.course.name ?? 'course'} ${start?.course.version ?? ''}`.trim())}" tests="${all}" failures="${students.reduce((n, s) => n + failed(s), 0)}">`);
      for (const s of students) {
        const skipped = s.exercises.filter((e) => e.status === 'not-graded').length;
        lines.push(`  <testsuite name="${xml(s.student)}" tests="${s.exercises.length}" failures="${failed(s)}" skipped="${skipped}">`);
        const flags = [
          ...(s.notOnRoster ? ['<property name="not-on-roster" value="true"/>'] : []),
          ...(s.noSubmission ? ['<property name="no-submission" value="true"/>'] : []),
          ...(s.madeWith ? [`<property name="made-with" value="${xml(`${s.madeWith.course} ${s.madeWith.version}`)}"/>`] : []),
        ];
        lines.push(`    <properties><property name="points" value="${s.points}"/><property name="max" value="${s.max}"/>${flags.join('')}</properties>`);
        for (const e of s.exercises) {
          const open = `    <testcase classname="${xml(s.student)}" name="${xml(e.exercise)}"`;
          const tampered = e.tampered.length > 0 ? `<system-out>${xml(`tampered (graded with the pristine checks): ${e.tampered.join(', ')}`)}</system-out>` : '';
          if (e.status === 'passed') lines.push(tampered ? `${open}>${tampered}</testcase>` : `${open}/>`);
          else if (e.status === 'not-graded') lines.push(`${open}><skipped message="${xml(e.reason ?? '')}"/></testcase>`);
          else lines.push(`${open}><failure type="${e.status}" message="${xml(e.reason ?? e.status)}"/>${tampered}</testcase>`);
        }
        lines.push('  </testsuite>');
      }
      lines.push('</testsuites>');
      await sink(`${lines.join('\n')}\n`);
    },
  };
}
