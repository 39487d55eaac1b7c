import { FLAG, type ParsedFields } from '../../entry.js';
import type { LogFormat, ParseContext } from '../../formats/types.js';
import type { ChunkRecord } from './read-records.js';

/** Timestamps beyond this far in the future of the upload are impossible, not just skewed clocks. */
const MAX_FUTURE_MS = 2 * 24 * 3600 * 1000;
/** Before 1990-01-01: a parse of something that is not a date (or an uninitialised clock). */
const MIN_PLAUSIBLE_MS = Date.UTC(1990, 0, 1);
// C0 controls except tab and newline, plus DEL and the C1 range: matching them is the point.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being removed
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const HAS_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export interface BuiltEntry {
  fields: ParsedFields;
  raw: string;
  flags: number;
}

/**
 * One record as an entry: parsed by the format (its first line carries the header; continuation lines
 * join the message), with the flags cleaning needs. Never throws: an unparsed record keeps its text.
 * `indexed`: only the fields the parse stage keeps (LogFormat.parseIndexed); the flags are the same.
 */
export function buildEntry(
  record: ChunkRecord,
  format: LogFormat,
  ctx: ParseContext,
  now: number,
  indexed = false,
): BuiltEntry {
  const text = record.text;
  const nl = record.lineCount > 1 ? text.indexOf('\n') : -1;
  const head = nl >= 0 ? text.slice(0, nl) : text;
  let flags = 0;
  let fields: ParsedFields;
  let parsed: ParsedFields | null = null;
  try {
    parsed = indexed && format.parseIndexed ? format.parseIndexed(head, ctx) : format.parse(head, ctx);
  } catch {
    parsed = null; // a parser bug must not lose the line
  }
  // The raw format "parses" anything: a record it took was not understood.
  if (parsed && format.name !== 'raw') {
    fields = nl >= 0 ? { ...parsed, message: `${parsed.message}${text.slice(nl)}` } : parsed;
    if (
      fields.ts !== undefined &&
      (fields.ts > now + MAX_FUTURE_MS || fields.ts < MIN_PLAUSIBLE_MS || !Number.isFinite(fields.ts))
    ) {
      fields = { ...fields, ts: undefined };
      flags |= FLAG.badTimestamp;
    } else if (fields.ts === undefined && format.fills.includes('ts')) {
      flags |= FLAG.badTimestamp;
    }
  } else {
    fields = { message: text };
    flags |= FLAG.unparsed;
  }
  if (HAS_CONTROL.test(fields.message)) {
    fields = { ...fields, message: fields.message.replace(CONTROL, '') };
    flags |= FLAG.controlChars;
  }
  if (record.invalidBytes > 0) flags |= FLAG.invalidUtf8;
  return { fields, raw: text, flags };
}
