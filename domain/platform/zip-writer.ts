import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A small streaming ZIP writer (PKZIP 2.0, UTF-8 names): each entry is written as soon as it is
 * added, so only one file is in memory at a time, with the output's back-pressure respected. Text is
 * deflated; files already compressed (JPEG, PNG, PDF) are stored. No ZIP64: an archive stops at 4 GB.
 */
type Entry = {
  name: Buffer;
  crc: number;
  size: number;
  stored: number;
  method: number;
  offset: number;
  time: number;
  date: number;
};

const LIMIT = 0xffffffff;

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipWriter {
  private readonly entries: Entry[] = [];
  private offset = 0;
  private readonly names = new Set<string>();

  constructor(
    private readonly out: Writable,
    private readonly modified: Date,
  ) {}

  private async write(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (this.offset > LIMIT) throw new Error('archive over 4 GB');
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** A name not used yet in the archive: "a.pdf", then "a (2).pdf". */
  uniqueName(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.names.has(name); i++) name = wanted.replace(/(\.[^./]*)?$/, (ext) => ` (${i})${ext}`);
    return name;
  }

  async add(path: string, data: Buffer, opts: { compress: boolean }): Promise<void> {
    const name = Buffer.from(path, 'utf8');
    this.names.add(path);
    const body = opts.compress ? deflateRawSync(data) : data;
    const { time, date } = dosDateTime(this.modified);
    const e: Entry = {
      name,
      crc: crc32(data) >>> 0,
      size: data.length,
      stored: body.length,
      method: opts.compress ? 8 : 0,
      offset: this.offset,
      time,
      date,
    };
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4); // version needed
    h.writeUInt16LE(0x0800, 6); // UTF-8 names
    h.writeUInt16LE(e.method, 8);
    h.writeUInt16LE(time, 10);
    h.writeUInt16LE(date, 12);
    h.writeUInt32LE(e.crc, 14);
    h.writeUInt32LE(e.stored, 18);
    h.writeUInt32LE(e.size, 22);
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(0, 28);
    await this.write(Buffer.concat([h, name]));
    await this.write(body);
    this.entries.push(e);
  }

  /** The central directory and its end record; the output is then ended. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0800, 8);
      c.writeUInt16LE(e.method, 10);
      c.writeUInt16LE(e.time, 12);
      c.writeUInt16LE(e.date, 14);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(e.stored, 20);
      c.writeUInt32LE(e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
      c.writeUInt32LE(e.offset, 42);
      await this.write(Buffer.concat([c, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    this.out.end();
  }
}
