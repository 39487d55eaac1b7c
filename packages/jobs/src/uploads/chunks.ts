import { open } from 'node:fs/promises';
import type { ByteRange } from '../queue/flow.js';

/** How far past a nominal boundary we look for the next newline, per read. */
const SCAN_BYTES = 64 * 1024;

/**
 * Splits a file into byte ranges of about `chunkBytes` whose boundaries fall just after a newline,
 * so every line belongs to exactly one range. Reads only a little around each boundary.
 */
export async function splitIntoChunks(path: string, size: number, chunkBytes: number): Promise<ByteRange[]> {
  if (size === 0) return [{ start: 0, end: 0 }];
  const handle = await open(path, 'r');
  try {
    const ranges: ByteRange[] = [];
    const buf = Buffer.allocUnsafe(SCAN_BYTES);
    let start = 0;
    while (start < size) {
      let end = Math.min(start + chunkBytes, size);
      if (end < size) end = await nextLineStart(handle, buf, end - 1, size);
      ranges.push({ start, end });
      start = end;
    }
    return ranges;
  } finally {
    await handle.close();
  }
}

/** Offset just after the first '\n' at or after `from`, or `size` when there is none. */
async function nextLineStart(
  handle: import('node:fs/promises').FileHandle,
  buf: Buffer,
  from: number,
  size: number,
): Promise<number> {
  let pos = from;
  while (pos < size) {
    const { bytesRead } = await handle.read(buf, 0, SCAN_BYTES, pos);
    if (bytesRead === 0) break;
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
    pos += bytesRead;
  }
  return size;
}
