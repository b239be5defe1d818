import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { loadCourse } from '../../src/node/course-loader.js';
import { readLock } from '../../src/node/course-lock.js';
import { hashFile } from '../../src/node/fs-utils.js';
import { cli, repoRoot } from '../helpers.js';

// The shipped course must prove itself: unsolved fails, solutions pass, every wrong answer is
// rejected for its reason (dev check runs them all through the real runner).
test('dev check passes on the shipped course', async () => {
  const r = await cli(['dev', 'check', '--no-lock', '--json'], { cwd: repoRoot });
  const out = JSON.parse(r.stdout) as { ok: boolean; problems: string[] };
  expect(out.problems).toEqual([]);
  expect(r.code).toBe(0);
  // 50 items and ~400 wrong answers: about 3 minutes on an idle 2-core machine.
}, 15 * 60_000);

test('course.lock.json is up to date with the course files (run `async-lessons dev check` after changing them)', async () => {
  const loaded = await loadCourse(repoRoot);
  const lock = await readLock(repoRoot);
  expect(lock, 'course.lock.json is missing or damaged').toBeDefined();
  expect(Object.keys(lock!.exercises).sort()).toEqual(loaded.course.exercises.map((e) => e.name).sort());
  for (const [name, entry] of Object.entries(lock!.exercises)) {
    for (const [rel, hash] of Object.entries(entry.files)) {
      expect(await hashFile(path.join(repoRoot, rel)), `${name}: ${rel} changed since the lock was written`).toBe(hash);
    }
    const raw = await readFile(path.join(repoRoot, 'exercises', loaded.course.exercises.find((e) => e.name === name)!.testFile), 'utf8').catch(() => '');
    const test = raw.replace(/\\(['"`])/g, '$1');
    for (const t of entry.tests) expect(test, `${name}: the lock names a test the check file lacks`).toContain(t.split(' > ').at(-1)!);
  }
});
