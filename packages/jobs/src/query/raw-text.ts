import { open } from 'node:fs/promises';

/** Longest raw text read back for one entry; longer records are cut (the entry's message has the text). */
const MAX_RAW_BYTES = 256 * 1024;

/**
 * The raw text of stored records, read back from the upload's file by byte range: one open, one read
 * per record. Missing file (deleted upload): nulls.
 */
export async function readRecordTexts(
  path: string,
  ranges: readonly { offset: number; length: number }[],
): Promise<(string | null)[]> {
  if (ranges.length === 0) return [];
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return ranges.map(() => null);
  }
  try {
    const out: (string | null)[] = [];
    for (const r of ranges) {
      const length = Math.min(r.length, MAX_RAW_BYTES);
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buf, 0, length, r.offset);
      out.push(
        buf
          .subarray(0, bytesRead)
          .toString('utf8')
          .replace(/\r(?=\n|$)/g, ''),
      );
    }
    return out;
  } finally {
    await handle.close();
  }
}
