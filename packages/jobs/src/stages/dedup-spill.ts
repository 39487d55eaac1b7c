import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Pairs buffered per part before they are written: 32 KiB (a 100M-record upload has 200 parts). */
const WRITE_PAIRS = 2048;
/** Bytes read at a time when a part is read back: 1 MiB, a whole number of pairs. */
const READ_BYTES = 1024 * 1024;

/** Where the clean stage of an upload splits its keys (removed when it ends, and with the upload). */
export function dedupSpillDir(dataDir: string, uploadId: string): string {
  return join(dataDir, 'tmp', `dedup-${uploadId}`);
}

/**
 * [key, offset] pairs split into parts on disk, each part's pairs kept in the order they were added: the
 * exact-duplicate check reads the upload's keys once, routes each to its part, then checks one part at a
 * time. The directory is emptied first (a retried job's leftovers) and removed by `remove`.
 */
export class PairSpill {
  private readonly fds: number[] = [];
  private readonly buffers: Float64Array[] = [];
  private readonly fill: number[] = [];

  constructor(
    private readonly dir: string,
    parts: number,
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (let p = 0; p < parts; p++) {
      this.fds.push(openSync(this.path(p), 'w+'));
      this.buffers.push(new Float64Array(WRITE_PAIRS * 2));
      this.fill.push(0);
    }
  }

  add(part: number, key: number, offset: number): void {
    const buffer = this.buffers[part] as Float64Array;
    let n = this.fill[part] as number;
    buffer[n++] = key;
    buffer[n++] = offset;
    if (n === buffer.length) {
      this.flush(part, n);
      n = 0;
    }
    this.fill[part] = n;
  }

  /** The pairs of one part, in the order they were added, a block at a time (after every `add`). */
  *read(part: number): Generator<Float64Array> {
    this.flush(part, this.fill[part] as number);
    this.fill[part] = 0;
    const fd = this.fds[part] as number;
    const block = new Float64Array(READ_BYTES / 8);
    const bytes = new Uint8Array(block.buffer);
    for (let position = 0; ; ) {
      const n = readSync(fd, bytes, 0, bytes.length, position);
      if (n === 0) return;
      position += n;
      yield block.subarray(0, n / 8);
    }
  }

  remove(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(part: number, values: number): void {
    if (values === 0) return;
    const buffer = this.buffers[part] as Float64Array;
    const bytes = new Uint8Array(buffer.buffer, 0, values * 8);
    for (let written = 0; written < bytes.length; ) {
      written += writeSync(this.fds[part] as number, bytes, written, bytes.length - written);
    }
  }

  private path(part: number): string {
    return join(this.dir, `part-${part}`);
  }
}
