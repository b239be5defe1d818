import { constants, createReadStream } from 'node:fs';
import { lstat, mkdir, open, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import yauzl from 'yauzl';
import { entryPath, linkStaysInside } from './archive-paths.js';
import { readNoFollow } from './safe-read.js';

/*
 * Unpacking a submission's archive into a fresh folder of the grader's, refusing whatever could
 * reach outside it or fill the disk. We read the entries ourselves (yauzl for zip, node-tar's
 * parser for tar) rather than call an extractor: an extractor that quietly strips `../` or skips a
 * link would grade a different submission than the one handed in, and the instructor should be
 * told. Sizes are counted as the bytes come out of the decompressor, never taken from headers.
 */

export interface ArchiveLimits {
  /** Uncompressed bytes, all entries together. */
  maxBytes: number;
  maxEntries: number;
}

/** A workspace is under 1 MB and ~150 files; these leave room for a class in one archive. */
export const ARCHIVE_LIMITS: ArchiveLimits = { maxBytes: 256 * 1024 * 1024, maxEntries: 50_000 };

export type Extracted = { ok: true } | { ok: false; reason: string };

/** A reason to refuse the whole archive (an Error so it can end a stream). */
class Refusal extends Error {}

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** Writes one entry at a time into `root`, never through a link, never over a folder. */
class Target {
  private bytes = 0;
  private entries = 0;
  constructor(
    readonly root: string,
    private readonly limits: ArchiveLimits,
  ) {}

  entry(name: string): string {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) throw new Refusal(`the archive has more than ${this.limits.maxEntries} entries (an archive bomb?)`);
    const p = entryPath(name);
    if ('refused' in p) throw new Refusal(p.refused);
    return p.rel;
  }

  private count(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes) throw new Refusal(`the archive unpacks to more than ${MB(this.limits.maxBytes)} (an archive bomb?)`);
  }

  /** Makes the folders above `rel`; refuses a path that runs through a link or a file. */
  private async parents(rel: string): Promise<void> {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) await this.folder(parts.slice(0, i).join('/'), rel);
  }

  private async folder(sub: string, rel: string): Promise<void> {
    const info = await lstat(path.join(this.root, sub)).catch(() => undefined);
    if (!info) return void (await mkdir(path.join(this.root, sub)));
    if (info.isSymbolicLink()) throw new Refusal(`entry "${rel}" goes through the link "${sub}"`);
    if (!info.isDirectory()) throw new Refusal(`entry "${rel}" goes through "${sub}", which is a file`);
  }

  async dir(rel: string): Promise<void> {
    if (rel === '') return;
    await this.parents(rel);
    await this.folder(rel, rel);
  }

  /** A file's bytes, counted as they arrive. A later entry of the same name wins, as tar does. */
  async file(rel: string, body: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<void> {
    if (rel === '') throw new Refusal('an entry has an empty name');
    await this.parents(rel);
    const at = path.join(this.root, rel);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const existing = await lstat(at).catch(() => undefined);
    if (existing?.isDirectory()) throw new Refusal(`entry "${rel}" would replace a folder`);
    if (existing) await unlink(at);
    // Installed packages are not graded and are the bulk of a careless export: counted, not kept.
    const handle = rel.split('/').includes('node_modules') ? undefined : await open(at, flags, 0o644);
    try {
      for await (const chunk of body) {
        this.count(chunk.length);
        await handle?.write(chunk);
      }
    } finally {
      await handle?.close();
    }
  }

  /** Kept as a link, so grading refuses it by name like a link in a workspace; never followed. */
  async symlink(rel: string, target: string): Promise<void> {
    if (!linkStaysInside(rel, target)) throw new Refusal(`entry "${rel}" is a link to "${target}", outside the submission`);
    await this.parents(rel);
    const at = path.join(this.root, rel);
    if (await lstat(at).catch(() => undefined)) throw new Refusal(`entry "${rel}" would replace an earlier entry with a link`);
    await symlink(target, at);
  }
}

async function* bounded(stream: AsyncIterable<Buffer>, max: number): AsyncIterable<Buffer> {
  let n = 0;
  for await (const chunk of stream) {
    n += chunk.length;
    if (n > max) throw new Refusal('a link entry has an over-long target');
    yield chunk;
  }
}

const S_IFMT = 0o170000;

async function unzip(file: string, target: Target): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (e, z) => (e ? reject(e) : resolve(z))));
  // yauzl's size check runs as data is written into its stream, which may be before we read: an
  // early error is kept on the stream (and rethrown by its iterator), not left unhandled.
  const read = (entry: yauzl.Entry) =>
    new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zip.openReadStream(entry, (e, s) => {
        if (e) return reject(e);
        s.on('error', () => {});
        resolve(s);
      }),
    );
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(error);
    };
    zip.on('error', fail);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      const one = async () => {
        const rel = target.entry(entry.fileName);
        const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
        if (entry.fileName.endsWith('/') || type === 0o040000) return target.dir(rel);
        const body = (await read(entry)) as AsyncIterable<Buffer>;
        if (type === 0o120000) {
          const chunks: Buffer[] = [];
          for await (const c of bounded(body, 4096)) chunks.push(c);
          return target.symlink(rel, Buffer.concat(chunks).toString('utf8'));
        }
        if (type !== 0 && type !== 0o100000) throw new Refusal(`entry "${rel}" is not a file, a folder or a link`);
        return target.file(rel, body);
      };
      one().then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
}

async function untar(file: string, target: Target, limits: ArchiveLimits): Promise<void> {
  const head = await open(file, 'r');
  const magic = Buffer.alloc(2);
  await head.read(magic, 0, 2, 0).finally(() => head.close());
  const gzipped = magic[0] === 0x1f && magic[1] === 0x8b;
  const parser = new Parser({ strict: true });
  let failed: unknown;
  let chain = Promise.resolve();
  const oneEntry = async (entry: ReadEntry) => {
    if (failed) return void entry.resume();
    const rel = target.entry(entry.path);
    switch (entry.type) {
      case 'Directory':
        entry.resume();
        return target.dir(rel);
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        return target.file(rel, entry as unknown as AsyncIterable<Buffer>);
      case 'SymbolicLink':
        entry.resume();
        return target.symlink(rel, entry.linkpath ?? '');
      case 'Link': {
        entry.resume();
        // A hard link names another entry of the archive, relative to its root.
        const to = entryPath(entry.linkpath ?? '');
        if ('refused' in to) throw new Refusal(`entry "${rel}" is a hard link to "${entry.linkpath}", outside the submission`);
        // Extracted as a copy of that earlier entry (read without following links, and counted).
        const earlier = await readNoFollow(target.root, to.rel);
        if (earlier.kind !== 'file') throw new Refusal(`entry "${rel}" is a hard link to "${to.rel}", which is no earlier file of the archive`);
        return target.file(rel, [earlier.content]);
      }
      default:
        entry.resume();
        throw new Refusal(`entry "${rel}" is not a file, a folder or a link (${entry.type})`);
    }
  };
  parser.on('entry', (entry: ReadEntry) => {
    chain = chain.then(() => oneEntry(entry)).catch((error: unknown) => {
      failed ??= error;
      entry.resume();
    });
  });
  // A parser that has failed may neither drain nor end: every wait on it also ends on its error.
  const errored = new Promise<void>((resolve) =>
    parser.on('error', (error: Error) => {
      failed ??= new Refusal(`it is not a readable tar archive (${error.message})`);
      resolve();
    }),
  );
  const ended = Promise.race([new Promise<void>((resolve) => parser.on('end', () => resolve())), errored]);
  // The whole tar stream is bounded too: padding and metadata entries are bytes on disk as well.
  let total = 0;
  const feed = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limits.maxBytes + limits.maxEntries * 1024) throw new Refusal(`the archive unpacks to more than ${MB(limits.maxBytes)} (an archive bomb?)`);
      if (failed) throw failed;
      if (!parser.write(chunk)) await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), errored]);
    }
    parser.end();
    yield* [];
  };
  if (gzipped) await pipeline(createReadStream(file), createGunzip(), feed);
  else await pipeline(createReadStream(file), feed);
  await ended;
  await chain;
  if (failed) throw failed;
}

/** Why a library's error refuses the archive, in an instructor's words. */
function reasonOf(error: unknown, format: 'zip' | 'tar'): string {
  if (error instanceof Refusal) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const named = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/.exec(message);
  if (named) {
    const p = entryPath(named[1]!);
    return 'refused' in p ? p.refused : `entry "${named[1]}" has a name that is not allowed`;
  }
  if (/too many bytes|not enough bytes|uncompressed size/i.test(message)) return `an entry's size does not match its header (a damaged archive, or an archive bomb)`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return 'it is not a readable gzip file';
  // The grader's own disk or folder failed (full, a name too long): not the archive's format.
  if (code && /^E[A-Z]+$/.test(code) && !code.startsWith('ERR_')) return `it could not be unpacked here (${message.split('\n')[0]})`;
  return `it is not a readable ${format === 'zip' ? 'zip' : 'tar'} archive (${message.split('\n')[0]})`;
}

/** Unpacks `file` into `to` (made here, empty). Never throws for what is in the archive. */
export async function extractArchive(file: string, format: 'zip' | 'tar', to: string, limits: ArchiveLimits = ARCHIVE_LIMITS): Promise<Extracted> {
  await mkdir(to, { recursive: true });
  const target = new Target(to, limits);
  try {
    await (format === 'zip' ? unzip(file, target) : untar(file, target, limits));
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: reasonOf(error, format) };
  }
}
