import { describe, expect, test } from 'vitest';
import { formatProblem, parseCourse } from '../../src/core/course-parse.js';

const course = (exercises: string, top = 'format_version = 1') => `${top}\n${exercises}`;
const ex = (fields: string) => `[[exercises]]\n${fields}\n`;
const ok = ex('name = "a"\ndir = "01_t"\nhint = "h"');

function problems(text: string): string[] {
  const r = parseCourse(text);
  return r.ok ? [] : r.problems.map(formatProblem);
}

describe('parseCourse', () => {
  test('a minimal course parses and normalises', () => {
    const r = parseCourse(course(ex('name = "a"\ndir = "01_t"\nhint = ["one", "two"]\nfiles = ["driver.ts"]\nchecks = ["a.types.ts"]')));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.course.exercises[0]).toMatchObject({
      name: 'a',
      kind: 'runtime',
      hints: ['one', 'two'],
      points: 1,
      mainFile: '01_t/a.ts',
      learnerFiles: ['01_t/a.ts', '01_t/driver.ts'],
      testFile: '01_t/a.test.ts',
      checkFiles: ['01_t/a.types.ts'],
    });
  });

  test.each([
    ['missing hint', ex('name = "a"\ndir = "01_t"'), 'exercise a: hint: is required'],
    ['empty hint list', ex('name = "a"\ndir = "01_t"\nhint = []'), 'exercise a: hint: needs at least one hint'],
    ['unknown field', ex('name = "a"\ndir = "01_t"\nhint = "h"\nhnit = "x"'), 'exercise a: hnit: unknown field (a typo?)'],
    ['wrong type', ex('name = "a"\ndir = "01_t"\nhint = "h"\npoints = "two"'), 'exercise a: points: Invalid input: expected number, received string'],
    ['bad kind', ex('name = "a"\ndir = "01_t"\nhint = "h"\nkind = "magic"'), 'exercise a: kind:'],
    ['path escape', ex('name = "a"\ndir = "01_t"\nhint = "h"\nfiles = ["../x.ts"]'), 'exercise a: files.0: must be a path inside the exercise folder'],
    ['missing name', ex('dir = "01_t"\nhint = "h"'), 'exercise #1: name: is required'],
    ['unknown top-level field', `${ok}\n`.replace('[[exercises]]', 'colour = "red"\n[[exercises]]'), 'info.toml: colour: unknown field (a typo?)'],
  ])('%s is reported with exercise and field', (_label, text, expected) => {
    const found = problems(course(text));
    expect(found.some((p) => p.startsWith(expected)), `got: ${found.join(' | ')}`).toBe(true);
  });

  test('duplicate names are reported', () => {
    expect(problems(course(ok + ok))).toContain('exercise a: name: is used by 2 exercises; names must be unique');
  });

  test('every problem is reported at once', () => {
    const found = problems(course(ex('name = "a"\ndir = "01_t"') + ex('name = "b"\ndir = "01_t"\nhint = "h"\nbogus = 1')));
    expect(found).toHaveLength(2);
  });

  test('a newer format asks the user to update async-lessons', () => {
    const r = parseCourse(course(ok, 'format_version = 99'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.tooNew).toBe(true);
    expect(formatProblem(r.problems[0]!)).toMatch(/update async-lessons/);
  });

  test('broken TOML gives the line', () => {
    expect(problems('format_version = 1\n[[exercises]\nname = "a"')[0]).toMatch(/^info.toml: syntax: not valid TOML \(line 2/);
  });

  test('diagnosis lessons point to topics of the course; typos in kinds and topics are reported', () => {
    const r = parseCourse(course(ok, 'format_version = 1\n[diagnosis_lessons]\nblocked-event-loop = "01_t"'));
    expect(r.ok && r.course.diagnosisLessons).toEqual({ 'blocked-event-loop': '01_t' });
    expect(problems(course(ok, 'format_version = 1\n[diagnosis_lessons]\nnever-settled = "09_nowhere"'))).toEqual([
      'info.toml: diagnosis_lessons.never-settled: no exercise lives in "09_nowhere", so there is no lesson there to point to',
    ]);
    expect(problems(course(ok, 'format_version = 1\n[diagnosis_lessons]\nblocked = "01_t"'))).toEqual(['info.toml: diagnosis_lessons.blocked: unknown field (a typo?)']);
  });

  test('missing format_version is an error', () => {
    expect(problems(ok)).toContain('info.toml: format_version: is required');
  });
});
