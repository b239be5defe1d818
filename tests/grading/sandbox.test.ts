import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bwrapArgs, chooseSandbox, probeBwrap } from '../../src/node/grading/sandbox.js';
import { loadCourse } from '../../src/node/course-loader.js';
import { initWorkspace } from '../../src/node/workspace.js';
import { makeCourse } from '../fixtures/grading-class/make-class.js';
import { netcat } from '../fixtures/grading-hostile/students.js';
import { cli } from '../helpers.js';

/*
 * The bubblewrap sandbox: a submission that reaches for the network (a TCP server this test runs
 * on 127.0.0.1, and a DNS name) gets nowhere under bwrap, and its grade is what its code earns;
 * with --sandbox none the same code gets through (Node's permission model leaves the network open).
 */

const noBwrap = probeBwrap();
if (noBwrap) console.warn(`tests/grading/sandbox.test.ts: bubblewrap tests skipped: ${noBwrap}`);

let work: string;
let course: string;
let classDir: string;
let server: net.Server;
const connections: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'al-sandbox-'));
  course = await makeCourse(work);
  server = net.createServer((socket) => socket.on('data', (d) => connections.push(d.toString())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const template = path.join(work, 'template');
  await initWorkspace(template, await loadCourse(course));
  classDir = path.join(work, 'class');
  await netcat(classDir, template, (server.address() as net.AddressInfo).port);
}, 60_000);
afterAll(async () => {
  server.close();
  await rm(work, { recursive: true, force: true });
});

const grade = (sandbox: string, out: string) => cli(['grade', classDir, '--course', course, '--only', 'fails', '--sandbox', sandbox, '--out', out, '--jobs', '1'], { cwd: work, env: { TMPDIR: work } });
const fails = async (out: string) => JSON.parse(await readFile(path.join(work, out, 'grades.json'), 'utf8')).students[0].exercises[0];

describe('grade --sandbox', () => {
  test.skipIf(noBwrap !== undefined)('under bwrap a submission reaches no server and resolves no name; its grade is unaffected', async () => {
    const r = await grade('bwrap', 'out-bwrap');
    expect(r.code, r.all).toBe(0);
    expect(await fails('out-bwrap')).toMatchObject({ status: 'passed', points: 3 });
    expect(connections).toEqual([]);
    const run = JSON.parse(await readFile(path.join(work, 'out-bwrap/grades-run.json'), 'utf8'));
    expect(run.isolation.level).toBe('bubblewrap + node permission model + scrubbed env + process group');
    expect(r.stdout).toMatch(/^Isolation: bubblewrap \+ node permission model/m);
    // The grades themselves say nothing of the run: same bytes whatever the sandbox.
    expect(await readFile(path.join(work, 'out-bwrap/grades.json'), 'utf8')).not.toContain('bubblewrap');
  }, 120_000);

  test('with --sandbox none the network is open, and the report says so', async () => {
    const before = connections.length;
    const r = await grade('none', 'out-none');
    expect(r.code, r.all).toBe(0);
    expect(await fails('out-none')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/network open: tcp=CONNECTED/) });
    expect(connections.slice(before)).toContain('hello from a student');
    const run = JSON.parse(await readFile(path.join(work, 'out-none/grades-run.json'), 'utf8'));
    expect(run.isolation.level).toMatch(/^node permission model .*\(network and some syscalls open\)$/);
    expect(run.isolation.missing[0]).toMatch(/^no bubblewrap \(--sandbox none\): student code can open network connections/);
    expect(r.stdout).toMatch(/Not in force: no bubblewrap/);
  }, 120_000);

  test('--sandbox bwrap where bwrap cannot run is a usage error that says why; a typo too', async () => {
    const r = await cli(['grade', classDir, '--course', course, '--sandbox', 'bwrap', '--out', 'out-x'], { cwd: work, env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sandbox bwrap: bwrap is not installed/);
    const typo = await cli(['grade', classDir, '--course', course, '--sandbox', 'docker'], { cwd: work });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--sandbox must be auto, bwrap or none, not "docker"');
  });
});

describe('sandbox choice', () => {
  test('auto falls back and says why; bwrap insists; none never probes', () => {
    expect(chooseSandbox('auto', () => 'no bwrap here')).toEqual({ kind: 'none', why: 'no bwrap here' });
    expect(chooseSandbox('bwrap', () => 'no bwrap here')).toEqual({ kind: 'unavailable', why: 'no bwrap here' });
    expect(chooseSandbox('none', () => { throw new Error('probed'); })).toEqual({ kind: 'none', why: '--sandbox none' });
    expect(chooseSandbox('auto', () => undefined).kind).toBe('bwrap');
  });

  test('the host sees no network, a fresh /tmp, and writes only its run area', () => {
    const args = bwrapArgs({ reads: ['/opt/pkg'], writable: '/tmp/runs/area-1', node: '/usr/bin/node' });
    expect(args).toEqual(expect.arrayContaining(['--unshare-net', '--unshare-pid', '--die-with-parent', '--new-session']));
    const tmpfs = args.indexOf('/tmp', args.indexOf('--tmpfs'));
    // The run area is mounted after the tmpfs (so it is not hidden by it), and it alone read-write.
    expect(args.indexOf('/tmp/runs/area-1')).toBeGreaterThan(tmpfs);
    expect(args.filter((a) => a === '--bind')).toHaveLength(1);
    expect(args.slice(args.indexOf('--bind'), args.indexOf('--bind') + 3)).toEqual(['--bind', '/tmp/runs/area-1', '/tmp/runs/area-1']);
    expect(args.at(-1)).toBe('--');
  });
});
