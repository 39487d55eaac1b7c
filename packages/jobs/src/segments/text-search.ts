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
  // Latin-1 keeps one character per byte, so string positions are byte offsets; lower-casing it folds
  // ASCII letters as `folded` is folded (other bytes map the same way on both sides, so no hit is lost).
  const text = bytes.toString('latin1').toLowerCase();
  const needle = Buffer.from(search.folded, 'utf8').toString('latin1').toLowerCase();
  const rows: number[] = [];
  let at = text.indexOf(needle);
  for (let i = 0; i < n; i++) {
    while (at >= 0 && at < (offsets[i] as number)) at = text.indexOf(needle, at + 1);
    const start = offsets[i] as number;
    const end = start + (lengths[i] as number);
    const hit = at >= start && at + needle.length <= end;
    if (hit || ((flags[i] as number) & REWRITTEN) !== 0) rows.push(i);
  }
  return rows;
}
