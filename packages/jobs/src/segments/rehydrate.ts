import { type FileHandle, open } from 'node:fs/promises';
import { entryId } from '@logsift/db';
import { decodeUtf8 } from '../formats/decode.js';
import type { LogFormat } from '../formats/types.js';
import type { EntryRow } from '../query/entries.js';
import { buildEntry } from '../stages/parse/build-entry.js';
import { type ParserSource, type UploadParser, uploadParser } from '../uploads/parser.js';
import { NO_INDEX, NO_LEVEL, NO_STATUS } from './columns.js';
import type { ChunkSegment } from './store.js';

/**
 * Uploaded records shown again: their text read back from the stored file where their columns point,
 * and parsed again with the upload's format and context, so the message, host, path and fields need not
 * be stored. Parsing is deterministic; what parsing decided once and for all (timestamp, level, status,
 * flags, signature) comes from the columns.
 */

/** Longest text read back for one record; longer records are cut (parsed from the cut text). */
export const MAX_RECORD_BYTES = 256 * 1024;
/** Records of one chunk are read in one go while the span they cover is at most this. */
const SPAN_READ_BYTES = 8 * 1024 * 1024;

/** A stored record: its chunk's columns and its row in them. */
export interface RecordRef {
  segment: ChunkSegment;
  row: number;
}

/** A record as queries return it: the row and the text it was parsed from. */
export interface StoredRecord {
  row: EntryRow;
  raw: string;
}

export type RehydrateSource = ParserSource & { seq: number; entryBase: number; storedPath: string };

/** A record's text as the parse stage saw it: its bytes decoded, each line's CR before LF dropped. */
export function recordText(bytes: Uint8Array): { text: string; invalidBytes: number } {
  const { text, invalidBytes } = decodeUtf8(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return {
    text: text.includes('\r') ? text.replace(/\r(?=\n)/g, '').replace(/\r$/, '') : text,
    invalidBytes,
  };
}

/** Turns record texts back into rows, for one upload. */
export class Rehydrator {
  private readonly parser: UploadParser;
  private readonly now = Date.now();

  constructor(private readonly upload: RehydrateSource) {
    this.parser = uploadParser(upload);
  }

  /** The upload's format. */
  get format(): LogFormat {
    return this.parser.format;
  }

  /** The row of `ref`, parsed from `bytes` (the record's text, at most MAX_RECORD_BYTES of it). */
  row(ref: RecordRef, bytes: Uint8Array): StoredRecord {
    const { segment, row: i } = ref;
    const { text, invalidBytes } = recordText(bytes);
    let lineCount = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineCount++;
    const { fields: f } = buildEntry(
      {
        text,
        offset: 0,
        byteLength: bytes.byteLength,
        firstLine: 1,
        lineCount,
        invalidBytes,
        truncated: false,
      },
      this.parser.format,
      this.parser.ctx,
      this.now,
    );
    const offset = segment.offsetOf(i);
    const ts = segment.ts[i] as number;
    const level = segment.level[i] as number;
    const status = segment.status?.[i] ?? NO_STATUS;
    const signature = segment.signature[i] as number;
    const service = segment.service?.[i] ?? NO_INDEX;
    const extra = f.fields && Object.keys(f.fields).length > 0 ? JSON.stringify(f.fields) : null;
    return {
      raw: text,
      row: {
        id: entryId(this.upload.entryBase, offset),
        source: this.upload.seq,
        chunk: segment.meta.chunk,
        line: segment.line[i] as number,
        span: lineCount,
        offset,
        length: segment.length[i] as number,
        ts: Number.isNaN(ts) ? null : ts,
        tz: f.tz ?? null,
        level: level === NO_LEVEL ? null : level,
        service: service === NO_INDEX ? null : (segment.services[service] ?? null),
        host: f.host ?? null,
        method: f.method ?? null,
        path: f.path ?? null,
        status: status === NO_STATUS ? null : status,
        bytes: f.bytes ?? null,
        latency_ms: f.latencyMs ?? null,
        message: f.message,
        signature: signature === NO_INDEX ? null : (segment.signatures[signature] ?? null),
        template_id: null,
        flags: segment.flags[i] as number,
        fields: extra,
      },
    };
  }

  /** The row of `ref` from its chunk's bytes in memory (readChunkBytes). */
  rowFromChunk(ref: RecordRef, chunkBytes: Uint8Array): StoredRecord {
    const rel = ref.segment.offset[ref.row] as number;
    const length = Math.min(ref.segment.length[ref.row] as number, MAX_RECORD_BYTES);
    return this.row(ref, chunkBytes.subarray(rel, rel + length));
  }

  /** The rows of `refs`, in their order, read from the stored file. Missing file: an empty list. */
  async rows(refs: readonly RecordRef[]): Promise<StoredRecord[]> {
    if (refs.length === 0) return [];
    let handle: FileHandle;
    try {
      handle = await open(this.upload.storedPath, 'r');
    } catch {
      return [];
    }
    try {
      const out = new Array<StoredRecord>(refs.length);
      const groups = new Map<ChunkSegment, number[]>();
      refs.forEach((r, i) => {
        const group = groups.get(r.segment);
        if (group) group.push(i);
        else groups.set(r.segment, [i]);
      });
      for (const [segment, indexes] of groups) {
        const rows = indexes.map((i) => (refs[i] as RecordRef).row);
        const read = await this.readRows(handle, segment, rows);
        indexes.forEach((i, k) => {
          out[i] = read[k] as StoredRecord;
        });
      }
      return out;
    } finally {
      await handle.close();
    }
  }

  /** Rows of one chunk: one read of the span they cover when it is small enough, else one read each. */
  private async readRows(handle: FileHandle, segment: ChunkSegment, rows: number[]): Promise<StoredRecord[]> {
    const extent = (row: number) => {
      const rel = segment.offset[row] as number;
      return [rel, rel + Math.min(segment.length[row] as number, MAX_RECORD_BYTES)] as const;
    };
    const first = Math.min(...rows.map((r) => extent(r)[0]));
    const last = Math.max(...rows.map((r) => extent(r)[1]));
    if (last - first <= SPAN_READ_BYTES) {
      const span = Buffer.allocUnsafe(last - first);
      const { bytesRead } = await handle.read(span, 0, span.length, segment.meta.start + first);
      return rows.map((row) => {
        const [from, to] = extent(row);
        return this.row({ segment, row }, span.subarray(from - first, Math.min(bytesRead, to - first)));
      });
    }
    const out: StoredRecord[] = [];
    for (const row of rows) {
      const [from, to] = extent(row);
      const bytes = Buffer.allocUnsafe(to - from);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, segment.meta.start + from);
      out.push(this.row({ segment, row }, bytes.subarray(0, bytesRead)));
    }
    return out;
  }
}

/**
 * A chunk's bytes from the stored file, from its start to the end of its last record (which may run past
 * the chunk's end through continuation lines), for reading many of its records at once.
 */
export async function readChunkBytes(path: string, segment: ChunkSegment): Promise<Buffer> {
  const n = segment.rows;
  if (n === 0) return Buffer.alloc(0);
  // Records follow one another in file order: the last one ends last.
  const extent = (segment.offset[n - 1] as number) + (segment.length[n - 1] as number);
  const handle = await open(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(extent);
    const { bytesRead } = await handle.read(bytes, 0, extent, segment.meta.start);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
