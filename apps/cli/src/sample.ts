/**
 * The start of a log file as lines, for format detection: the same sample the server takes (the first
 * 64 KiB, at most 200 non-blank lines), read through gzip when the file is compressed.
 */
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** Bytes read from the start of the (decompressed) file; matches the server's sample. */
export const SAMPLE_BYTES = 64 * 1024;
/** Lines the detection looks at; matches the server's sample. */
export const SAMPLE_LINES = 200;

export interface FileHead {
  bytes: Buffer;
  /** True when the head is cut: the file (decompressed) is longer than `bytes`. */
  truncated: boolean;
  gzip: boolean;
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The first `limit` bytes of the file, decompressed first when it is gzip. */
export async function readHead(path: string, limit = SAMPLE_BYTES): Promise<FileHead> {
  const handle = await open(path, 'r');
  try {
    const first = Buffer.alloc(limit + 1);
    const { bytesRead } = await handle.read(first, 0, limit + 1, 0);
    const raw = first.subarray(0, bytesRead);
    if (!isGzip(raw)) return { bytes: raw.subarray(0, limit), truncated: bytesRead > limit, gzip: false };
    return {
      ...(await gunzipHead(handle.createReadStream({ start: 0, autoClose: false }), limit)),
      gzip: true,
    };
  } finally {
    await handle.close();
  }
}

/** Decompresses until `limit` bytes came out (then stops reading) or the stream ends. */
async function gunzipHead(source: NodeJS.ReadableStream, limit: number): Promise<Omit<FileHead, 'gzip'>> {
  const gunzip = createGunzip();
  source.pipe(gunzip);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of gunzip) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length > limit) break;
    }
  } catch (err) {
    // A cut or damaged archive still has a usable start.
    if (length === 0) throw err;
  } finally {
    source.unpipe(gunzip);
    gunzip.destroy();
  }
  return { bytes: Buffer.concat(chunks).subarray(0, limit), truncated: length > limit };
}

/** Text from bytes, by byte-order mark: UTF-16 LE/BE when marked, else UTF-8 (mark dropped). */
export function decodeHead(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** Non-blank lines of the head, without their line ends; the last line is left out when the head cut it. */
export function sampleLines(head: Pick<FileHead, 'bytes' | 'truncated'>, maxLines = SAMPLE_LINES): string[] {
  const lines = decodeHead(head.bytes).split('\n');
  if (head.truncated && lines.length > 1) lines.pop();
  return lines
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.trim() !== '')
    .slice(0, maxLines);
}
