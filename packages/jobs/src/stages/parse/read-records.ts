import { createReadStream } from 'node:fs';
import { LineSplitter } from '../../formats/decode.js';
import { isContinuation, type LogRecord, RecordAssembler } from '../../formats/records.js';
import type { LogFormat, ParseContext } from '../../formats/types.js';

/** File read size for parse jobs. */
const READ_BYTES = 1024 * 1024;

export interface ChunkRecord extends LogRecord {
  /** Bytes replaced by U+FFFD because they were not valid UTF-8. */
  invalidBytes: number;
  /** A line of the record was longer than the line cap and was cut. */
  truncated: boolean;
}

export interface ChunkReadStats {
  /** Physical lines of this chunk's records (its own continuation lines read past `end` included). */
  lines: number;
  /** Leading lines skipped because they continue the previous chunk's last record. */
  skippedLeading: number;
}

/**
 * A record with its extras, as an object literal of one shape: spreading the record into a new object
 * instead cost several times the rest of reading (V8 builds such objects slowly).
 */
function chunkRecord(r: LogRecord, invalidBytes: number, truncated: boolean): ChunkRecord {
  return {
    text: r.text,
    offset: r.offset,
    byteLength: r.byteLength,
    firstLine: r.firstLine,
    lineCount: r.lineCount,
    key: r.key,
    invalidBytes,
    truncated,
  };
}

/**
 * Reads the records of byte range [start, end) of a file. A record belongs to the chunk in which its first
 * line starts: leading continuation lines are left to the previous chunk, and the last record is finished
 * by reading past `end` through its continuation lines. So every record is produced by exactly one chunk.
 * `format` (when given) decides continuations beyond the structural ones (indentation, stack frames).
 */
export async function* readChunkRecords(
  path: string,
  start: number,
  end: number,
  options: { format?: LogFormat; ctx: ParseContext; maxLineBytes?: number },
  stats: ChunkReadStats,
): AsyncGenerator<ChunkRecord[]> {
  if (end <= start) return;
  // Offsets count from the file's start, where alone a BOM is one: bytes EF BB BF opening a later chunk
  // are a U+FEFF of the text, not to be dropped.
  const splitter = new LineSplitter({
    startOffset: start,
    ...(options.maxLineBytes ? { maxLineBytes: options.maxLineBytes } : {}),
  });
  const assembler = new RecordAssembler({
    ...(options.format ? { format: options.format } : {}),
    ctx: options.ctx,
  });
  // Extras of the record being assembled, gathered from its lines.
  let invalidBytes = 0;
  let truncated = false;
  let leading = start > 0;
  let done = false;
  const out: ChunkRecord[] = [];

  const take = (lines: ReturnType<LineSplitter['push']>) => {
    for (const line of lines) {
      if (line.offset >= end || leading) {
        const cont = isContinuation(line.text, options.format, options.ctx);
        if (line.offset >= end && !cont) {
          done = true; // past our range, only our last record's continuation lines are ours
          return;
        }
        if (leading && cont) {
          stats.skippedLeading++; // the previous chunk's last record
          continue;
        }
        leading = false;
      }
      stats.lines++;
      const [closed] = assembler.push(line);
      if (closed) {
        out.push(chunkRecord(closed, invalidBytes, truncated));
        invalidBytes = 0;
        truncated = false;
      }
      invalidBytes += line.invalidBytes;
      truncated ||= line.truncated === true;
    }
  };

  const stream = createReadStream(path, { start, highWaterMark: READ_BYTES });
  try {
    for await (const buf of stream as AsyncIterable<Buffer>) {
      take(splitter.push(buf));
      if (out.length > 0) yield out.splice(0);
      if (done) break;
    }
    if (!done) take(splitter.end());
    const [last] = assembler.end();
    if (last) out.push(chunkRecord(last, invalidBytes, truncated));
    if (out.length > 0) yield out.splice(0);
  } finally {
    stream.destroy();
  }
}
