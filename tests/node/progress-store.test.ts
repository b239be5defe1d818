import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { emptyProgress, progressReducer } from '../../src/core/progress.js';
import { ProgressStore } from '../../src/node/progress-store.js';
import { tempDir } from '../helpers.js';

test('a missing file is a fresh start, without a notice', async () => {
  const store = new ProgressStore(path.join(await tempDir(), 'progress.json'));
  expect(await store.load()).toEqual({ progress: emptyProgress(), notice: undefined });
});

test('save then load round-trips, keeping unknown exercises', async () => {
  const store = new ProgressStore(path.join(await tempDir(), '.async-lessons', 'progress.json'));
  const p = progressReducer(progressReducer(emptyProgress(), { type: 'mark-done', name: 'gone_exercise' }), { type: 'select', name: 'b' });
  await store.save(p);
  expect((await store.load()).progress).toEqual(p);
});

test('saving leaves no temp files behind', async () => {
  const dir = await tempDir();
  const store = new ProgressStore(path.join(dir, 'progress.json'));
  await store.save(emptyProgress());
  await store.save(emptyProgress());
  expect(await readdir(dir)).toEqual(['progress.json']);
});

test.each([
  ['not JSON', '{"version": 1, "curr', /was not valid JSON/],
  ['wrong shape', '{"version": 1, "current": 3, "exercises": {}}', /did not have the expected shape \(current:/],
  ['future version', '{"version": 2, "current": null, "exercises": {}}', /did not have the expected shape/],
])('a corrupt file (%s) is moved aside and reported in one line', async (_label, content, why) => {
  const dir = await tempDir();
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'progress.json');
  await writeFile(file, content);
  const { progress, notice } = await new ProgressStore(file).load();
  expect(progress).toEqual(emptyProgress());
  expect(notice).toMatch(why);
  expect(notice!.split('\n')).toHaveLength(1);
  const files = await readdir(dir);
  const backup = files.find((f) => f.startsWith('progress.json.bak-'));
  expect(backup, `files: ${files.join(', ')}`).toBeDefined();
  expect(await readFile(path.join(dir, backup!), 'utf8')).toBe(content);
});
