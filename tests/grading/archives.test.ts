import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { archiveStem, entryPath, linkStaysInside } from '../../src/node/grading/archive-paths.js';
import { extractArchive, type ArchiveLimits } from '../../src/node/grading/extract.js';
import { readNoFollow } from '../../src/node/grading/safe-read.js';
import { findSubmissions } from '../../src/node/grading/submissions.js';
import { loadCourse } from '../../src/node/course-loader.js';
import { initWorkspace } from '../../src/node/workspace.js';
import { miniCourse } from '../helpers.js';
import { entriesOf, makeTar, makeZip, type Entry } from './archive-builders.js';

/* Archives as submissions: what is unpacked, what is refused and why, and who the students are. */

let dir: string;
let workspace: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'al-archives-'));
  workspace = path.join(dir, 'ws');
  await initWorkspace(workspace, await loadCourse(miniCourse));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes an archive and unpacks it into a fresh folder (inside `dir/run-N/box`, so escapes are visible). */
async function unpack(name: string, bytes: Buffer, limits?: ArchiveLimits) {
  const run = path.join(dir, `run-${n++}`);
  await mkdir(run);
  const file = path.join(run, name);
  await writeFile(file, bytes);
  const box = path.join(run, 'box');
  const result = await extractArchive(file, archiveStem(name)!.format, box, limits);
  return { result, box, run };
}

const refusal = async (name: string, bytes: Buffer, limits?: ArchiveLimits) => {
  const { result, run } = await unpack(name, bytes, limits);
  // Whatever was refused, nothing landed beside the target folder.
  expect((await readdir(run)).sort()).toEqual(['box', name].sort());
  return result.ok ? 'extracted' : result.reason;
};

describe('entry names', () => {
  test('relative names pass, normalised; absolute and climbing ones are refused', () => {
    expect(entryPath('./ws/exercises/a.ts')).toEqual({ rel: 'ws/exercises/a.ts' });
    expect(entryPath('ws\\exercises\\a.ts')).toEqual({ rel: 'ws/exercises/a.ts' });
    expect(entryPath('../x')).toEqual({ refused: 'entry "../x" climbs out with "..", which would be written outside the submission' });
    expect(entryPath('a/../../x')).toMatchObject({ refused: expect.stringContaining('climbs out') });
    expect(entryPath('..\\x')).toMatchObject({ refused: expect.stringContaining('climbs out') });
    expect(entryPath('/etc/passwd')).toEqual({ refused: 'entry "/etc/passwd" is an absolute path, which would be written outside the submission' });
    expect(entryPath('C:/x')).toMatchObject({ refused: expect.stringContaining('absolute') });
  });
  test('a link stays inside when its target, read from where it is, does', () => {
    expect(linkStaysInside('ws/exercises/a.ts', 'b.ts')).toBe(true);
    expect(linkStaysInside('ws/exercises/a.ts', '../../other/b.ts')).toBe(true);
    expect(linkStaysInside('ws/exercises/a.ts', '../../../b.ts')).toBe(false);
    expect(linkStaysInside('a.ts', '/etc/passwd')).toBe(false);
    expect(linkStaysInside('a.ts', '')).toBe(false);
  });
  test('archive names give the student id', () => {
    expect(['amy.zip', 'bob.tar.gz', 'cat.TGZ', 'dan.tar', 'eve.rar', '.zip'].map((f) => archiveStem(f)?.stem)).toEqual(['amy', 'bob', 'cat', 'dan', undefined, undefined]);
  });
});

describe('extractArchive', () => {
  test('a zip and a tar.gz of a workspace unpack to the same files', async () => {
    const entries = await entriesOf(workspace, 'ws/');
    for (const [name, bytes] of [['a.zip', makeZip(entries)], ['a.tar.gz', makeTar(entries)], ['a.tar', makeTar(entries, { gzip: false })]] as const) {
      const { result, box } = await unpack(name, bytes);
      expect(result, name).toEqual({ ok: true });
      expect(await readFile(path.join(box, 'ws/exercises/01_basics/fails.ts'), 'utf8'), name).toBe(await readFile(path.join(workspace, 'exercises/01_basics/fails.ts'), 'utf8'));
      expect((await entriesOf(box)).map((e) => e.name), name).toEqual(['ws/', ...entries.map((e) => e.name)]);
    }
  });

  test('entries escaping the folder are refused by name, in both formats', async () => {
    const climb: Entry[] = [{ name: 'ws/exercises/a.ts', data: 'x' }, { name: '../escaped.txt', data: 'pwned' }];
    expect(await refusal('c.zip', makeZip(climb))).toBe('entry "../escaped.txt" climbs out with "..", which would be written outside the submission');
    expect(await refusal('c.tar.gz', makeTar(climb))).toBe('entry "../escaped.txt" climbs out with "..", which would be written outside the submission');
    const absolute = path.join(dir, 'absolute-target.txt');
    expect(await refusal('d.tgz', makeTar([{ name: absolute, data: 'pwned' }]))).toBe(`entry "${absolute}" is an absolute path, which would be written outside the submission`);
    expect(await refusal('d.zip', makeZip([{ name: absolute, data: 'pwned' }]))).toBe(`entry "${absolute}" is an absolute path, which would be written outside the submission`);
    await expect(readFile(absolute)).rejects.toThrow(/ENOENT/);
  });

  test('links out are refused; links inside are kept as links (grading never follows them)', async () => {
    const out: Entry = { name: 'ws/exercises/a.ts', type: 'symlink', data: '../../../secret.txt' };
    expect(await refusal('l.tar.gz', makeTar([out]))).toBe('entry "ws/exercises/a.ts" is a link to "../../../secret.txt", outside the submission');
    expect(await refusal('l.zip', makeZip([out]))).toBe('entry "ws/exercises/a.ts" is a link to "../../../secret.txt", outside the submission');
    expect(await refusal('h.tar.gz', makeTar([{ name: 'ws/a.ts', type: 'hardlink', data: '/etc/passwd' }]))).toBe('entry "ws/a.ts" is a hard link to "/etc/passwd", outside the submission');
    // A path through a link (even one pointing inside) could be made to land anywhere: refused.
    const through: Entry[] = [{ name: 'ws/sub/', type: 'dir' }, { name: 'ws/l', type: 'symlink', data: 'sub' }, { name: 'ws/l/x.ts', data: 'x' }];
    expect(await refusal('t.tgz', makeTar(through))).toBe('entry "ws/l/x.ts" goes through the link "ws/l"');

    const { result, box } = await unpack('in.tar.gz', makeTar([{ name: 'ws/b.ts', data: 'b' }, { name: 'ws/a.ts', type: 'symlink', data: 'b.ts' }, { name: 'ws/c.ts', type: 'hardlink', data: 'ws/b.ts' }]));
    expect(result).toEqual({ ok: true });
    expect(await readlink(path.join(box, 'ws/a.ts'))).toBe('b.ts');
    expect(await readNoFollow(box, 'ws/a.ts')).toEqual({ kind: 'refused', reason: 'ws/a.ts is a symbolic link; links are not followed' });
    // A hard link inside is a copy of the earlier entry.
    expect(await readFile(path.join(box, 'ws/c.ts'), 'utf8')).toBe('b');
  });

  test('archive bombs are stopped while unpacking, whatever the headers say', async () => {
    const limits = { maxBytes: 1024 * 1024, maxEntries: 20 };
    const zeros = Buffer.alloc(2 * 1024 * 1024);
    expect(await refusal('b.zip', makeZip([{ name: 'big', data: zeros }]), limits)).toBe('the archive unpacks to more than 1 MB (an archive bomb?)');
    expect(await refusal('b.tar.gz', makeTar([{ name: 'big', data: zeros }]), limits)).toBe('the archive unpacks to more than 1 MB (an archive bomb?)');
    // Many small entries add up: the total is what counts, not each entry.
    const halves = [0, 1, 2].map((i) => ({ name: `half${i}`, data: Buffer.alloc(512 * 1024) }));
    expect(await refusal('h.zip', makeZip(halves), limits)).toBe('the archive unpacks to more than 1 MB (an archive bomb?)');
    // A header claiming 10 bytes for 2 MB of data is caught as the bytes come.
    expect(await refusal('lie.zip', makeZip([{ name: 'big', data: zeros, claimedSize: 10 }]), limits)).toBe("an entry's size does not match its header (a damaged archive, or an archive bomb)");
    const many = Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, data: 'x' }));
    expect(await refusal('m.zip', makeZip(many), limits)).toBe('the archive has more than 20 entries (an archive bomb?)');
    expect(await refusal('m.tar.gz', makeTar(many), limits)).toBe('the archive has more than 20 entries (an archive bomb?)');
  });

  test('what is not an archive, or holds devices, is refused with a reason', async () => {
    expect(await refusal('x.zip', Buffer.from('not a zip at all'))).toMatch(/^it is not a readable zip archive \(/);
    expect(await refusal('x.tar.gz', Buffer.from('not a tarball'))).toMatch(/^it is not a readable tar archive/);
    expect(await refusal('g.tar.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3]))).toBe('it is not a readable gzip file');
    expect(await refusal('f.tar', makeTar([{ name: 'ws/pipe', type: 'fifo' }], { gzip: false }))).toBe('entry "ws/pipe" is not a file, a folder or a link (FIFO)');
    // A name the file system cannot hold is the grader's limit, said as such (and still no crash).
    expect(await refusal('n.zip', makeZip([{ name: `${'d'.repeat(300)}/a.ts`, data: 'x' }]))).toMatch(/^it could not be unpacked here \(ENAMETOOLONG/);
  });
});

describe('findSubmissions with archives', () => {
  test('one workspace per archive (at its root or in its top folder), a class archive, and a refused one', async () => {
    const inbox = path.join(dir, 'inbox');
    await mkdir(path.join(inbox, 'cls'), { recursive: true });
    const ws = await entriesOf(workspace);
    await writeFile(path.join(inbox, 'amy.zip'), makeZip(await entriesOf(workspace, 'amy-workspace/')));
    await writeFile(path.join(inbox, 'bob.tar.gz'), makeTar(ws));
    const cls = [...(await entriesOf(workspace, 'export/cat/')), ...(await entriesOf(workspace, 'export/dan/')), { name: 'export/readme/', type: 'dir' as const }, { name: 'export/readme/notes.txt', data: 'hi' }, { name: 'export/gus.zip', data: makeZip(ws) }];
    await writeFile(path.join(inbox, 'class.tgz'), makeTar(cls));
    await writeFile(path.join(inbox, 'eve.zip'), makeZip([...ws, { name: '../evil.ts', data: 'x' }]));
    // A class folder may hold archives beside workspaces.
    await writeFile(path.join(inbox, 'cls', 'fay.zip'), makeZip(ws));
    const extractDir = path.join(dir, 'unpacked');
    const found = await findSubmissions([path.join(inbox, 'amy.zip'), 'bob.tar.gz', 'class.tgz', 'eve.zip', 'cls'], inbox, { extractDir });
    expect(found.map((s) => [s.id, s.problem ?? 'ok', s.refused ?? false])).toEqual([
      ['amy', 'ok', false],
      ['bob', 'ok', false],
      ['cat', 'ok', false],
      ['dan', 'ok', false],
      ['eve', `${path.join(inbox, 'eve.zip')} was refused: entry "../evil.ts" climbs out with "..", which would be written outside the submission`, true],
      ['fay', 'ok', false],
      ['gus', `${path.join(inbox, 'class.tgz')}/export/gus.zip is an archive inside an archive, which is not unpacked: unpack the outer one and grade its folder`, false],
      ['readme', `${path.join(inbox, 'class.tgz')}/export/readme is not a workspace (it has no exercises/ folder)`, false],
    ]);
    for (const s of found.filter((f) => !f.problem)) {
      expect(s.dir.startsWith(extractDir + path.sep), s.id).toBe(true);
      expect(await readFile(path.join(s.dir, 'exercises/01_basics/fails.ts'), 'utf8'), s.id).toBe(await readFile(path.join(workspace, 'exercises/01_basics/fails.ts'), 'utf8'));
    }
  });
});
