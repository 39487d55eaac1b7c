import { FLAG } from '../entry.js';
import type { LogFormat } from '../formats/types.js';
import { mayContain, textProbe } from '../query/text-filter.js';
import type { ChunkMeta, ChunkSegment } from './store.js';

/**
 * Text search in uploaded records: `q` is a substring of the message, ASCII letters compared without case
 * (as SQLite's LIKE compares). Messages are not stored, so a chunk's records are found in two steps: the
 * chunk's bytes are searched for `q` (folded the same way), which finds every record whose message holds
 * it whenever the message is the record's text verbatim, and each record found is parsed again and its
 * message checked (rehydrate.ts). Where a message may differ from its text (escapes unquoted, control
 * characters removed, bytes that were not UTF-8), every such record is checked instead.
 */
export interface TextSearch {
  q: string;
  /** `q` ASCII-folded, as the folded chunk text is searched. */
  folded: string;
  /** Every message holding `q` lies in the record's text as written: the byte search finds them all. */
  verbatim: boolean;
  probe: ReturnType<typeof textProbe>;
}

/** Characters a format may write differently in the text than in the message (quotes, escapes, controls). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
const NOT_VERBATIM = /["\\\u0000-\u001f\u007f]/;

/** Formats whose messages may be encoded in the text (JSON strings may escape any character). */
const ENCODING_FORMATS = new Set(['json']);

export function textSearch(q: string, format: LogFormat): TextSearch {
  return {
    q,
    folded: foldAscii(q),
    verbatim: !ENCODING_FORMATS.has(format.name) && !NOT_VERBATIM.test(q) && !q.includes('\uFFFD'),
    probe: textProbe(q),
  };
}

/** ASCII-only lower case, as SQLite's LIKE compares. */
export const foldAscii = (s: string) => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/** Whether a message holds the searched text. */
export const messageHas = (search: TextSearch, message: string) => foldAscii(message).includes(search.folded);

/** False when the chunk's text filter shows no record of it can hold the text. */
export function chunkMayHold(meta: ChunkMeta, search: TextSearch): boolean {
  return !meta.textFilter || mayContain(meta.textFilter, search.probe);
}

/** Records that may differ from their message whatever the text. */
const REWRITTEN = FLAG.controlChars | FLAG.invalidUtf8;

/**
 * The rows of a chunk that may hold the text, in file order: those whose bytes hold it, and those whose
 * message may not be their text verbatim. `bytes` is the chunk's text from its start (readChunkBytes).
 */
export function candidateRows(segment: ChunkSegment, bytes: Buffer, search: TextSearch): number[] {
  const n = segment.rows;
  if (!search.verbatim) return Array.from({ length: n }, (_, i) => i);
  const flags = segment.flags;
  const offsets = segment.offset;
  const lengths = segment.length;
  const needle = Buffer.from(search.folded, 'utf8');
  const next = foldedSearch(bytes, needle);
  const rows: number[] = [];
  let at = next(0);
  for (let i = 0; i < n; i++) {
    while (at >= 0 && at < (offsets[i] as number)) at = next(at + 1);
    const start = offsets[i] as number;
    const end = start + (lengths[i] as number);
    const hit = at >= start && at + needle.length <= end;
    if (hit || ((flags[i] as number) & REWRITTEN) !== 0) rows.push(i);
  }
  return rows;
}

/** Shortest run of the needle without ASCII letters worth searching the bytes for as it is. */
const MIN_ANCHOR = 3;

const isAsciiLetter = (b: number) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122);

/**
 * A function giving where `needle` (ASCII-folded UTF-8) next occurs in `bytes` at or after a position, ASCII
 * letters compared without case, or -1. When the needle has a run of at least MIN_ANCHOR bytes without
 * letters (digits, slashes: ids and paths), the bytes are searched for that run as it is (Buffer#indexOf)
 * and the whole needle compared around each hit, so the chunk is never copied; otherwise the chunk is
 * folded into a string once and searched.
 */
export function foldedSearch(bytes: Buffer, needle: Buffer): (from: number) => number {
  let anchorStart = 0;
  let anchorEnd = 0;
  for (let i = 0, start = 0; i <= needle.length; i++) {
    if (i < needle.length && !isAsciiLetter(needle[i] as number)) continue;
    if (i - start > anchorEnd - anchorStart) [anchorStart, anchorEnd] = [start, i];
    start = i + 1;
  }
  if (anchorEnd - anchorStart < Math.min(MIN_ANCHOR, needle.length) || needle.length === 0) {
    // Latin-1 keeps one character per byte, so string positions are byte offsets; lower-casing it folds
    // ASCII letters as the needle is folded (other bytes map the same way on both sides: no hit is lost).
    const text = bytes.toString('latin1').toLowerCase();
    const folded = needle.toString('latin1').toLowerCase();
    return (from) => text.indexOf(folded, from);
  }
  const anchor = needle.subarray(anchorStart, anchorEnd);
  return (from) => {
    for (let at = bytes.indexOf(anchor, from + anchorStart); at >= 0; at = bytes.indexOf(anchor, at + 1)) {
      const start = at - anchorStart;
      if (foldedAt(bytes, start, needle)) return start;
    }
    return -1;
  };
}

/** Whether `needle` (ASCII-folded) is at `start` of `bytes`, ASCII letters compared without case. */
function foldedAt(bytes: Buffer, start: number, needle: Buffer): boolean {
  if (start + needle.length > bytes.length) return false;
  for (let i = 0; i < needle.length; i++) {
    const b = bytes[start + i] as number;
    if ((b >= 65 && b <= 90 ? b + 32 : b) !== needle[i]) return false;
  }
  return true;
}
