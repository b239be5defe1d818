import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

/*
 * Archives made in the test, byte by byte, rather than committed as blobs or made with a library:
 * an honest zip or tar library will not write `../x`, an absolute name, a link out or a header that
 * lies about a size — exactly the archives the extractor must refuse.
 */

export interface Entry {
  name: string;
  data?: Buffer | string;
  /** file (default), dir, symlink (data is the target), hardlink (tar; data is the target), fifo (tar). */
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo';
  /** zip: the uncompressed size the headers claim (default: the real one). */
  claimedSize?: number;
}

const buf = (d: Buffer | string | undefined) => (typeof d === 'string' ? Buffer.from(d) : (d ?? Buffer.alloc(0)));

const MODES = { file: 0o100644, dir: 0o040755, symlink: 0o120777, hardlink: 0o100644, fifo: 0o010644 };

export function makeZip(entries: readonly Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const raw = buf(e.data);
    const packed = deflateRawSync(raw);
    const size = e.claimedSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(raw), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(raw), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((MODES[e.type ?? 'file'] << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const FLAGS = { file: '0', hardlink: '1', symlink: '2', dir: '5', fifo: '6' };

function octal(header: Buffer, value: number, at: number, width: number) {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, width, 'ascii');
}

export function makeTar(entries: readonly Entry[], { gzip = true } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const data = type === 'file' ? buf(e.data) : Buffer.alloc(0);
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    octal(h, MODES[type] & 0o7777, 100, 8);
    octal(h, 0, 108, 8);
    octal(h, 0, 116, 8);
    octal(h, data.length, 124, 12);
    octal(h, 0, 136, 12);
    h.write(FLAGS[type], 156, 1, 'ascii');
    if (type === 'symlink' || type === 'hardlink') h.write(buf(e.data).toString(), 157, 100, 'utf8');
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    h.fill(' ', 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return gzip ? gzipSync(tar) : tar;
}

/** A folder's files as entries under `prefix` (links kept as links), in a stable order. */
export async function entriesOf(dir: string, prefix = ''): Promise<Entry[]> {
  const out: Entry[] = [];
  const walk = async (rel: string) => {
    for (const d of (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      const name = `${prefix}${r}`;
      if (d.isSymbolicLink()) out.push({ name, type: 'symlink', data: await readlink(path.join(dir, r)) });
      else if (d.isDirectory()) {
        out.push({ name: `${name}/`, type: 'dir' });
        await walk(r);
      } else out.push({ name, data: await readFile(path.join(dir, r)) });
    }
  };
  await walk('');
  return out;
}
