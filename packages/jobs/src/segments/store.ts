import type { Sqlite, Statement } from '@logsift/db';
import { type ColumnName, packColumns, type SegmentColumns, unpack } from './columns.js';
import { readStatusSet } from './skip-index.js';

/** Statements prepared once per connection: every parse job and every query uses them. */
const prepared = new WeakMap<Sqlite, Map<string, Statement>>();

function statement(sqlite: Sqlite, sql: string): Statement {
  let byText = prepared.get(sqlite);
  if (!byText) {
    byText = new Map();
    prepared.set(sqlite, byText);
  }
  let s = byText.get(sql);
  if (!s) {
    s = sqlite.prepare(sql);
    byText.set(sql, s);
  }
  return s;
}

/** Replaces a chunk's stored columns; run it inside the transaction that records the chunk's result. */
export function saveSegment(sqlite: Sqlite, uploadId: string, chunk: number, columns: SegmentColumns): void {
  statement(sqlite, 'DELETE FROM entry_segments WHERE upload_id = ? AND chunk = ?').run(uploadId, chunk);
  const insert = statement(
    sqlite,
    'INSERT INTO entry_segments (upload_id, chunk, "column", data) VALUES (?, ?, ?, ?)',
  );
  for (const [name, data] of packColumns(columns)) insert.run(uploadId, chunk, name, data);
}

/** Rewrites one column of a stored chunk. */
export function saveColumn(
  sqlite: Sqlite,
  uploadId: string,
  chunk: number,
  name: ColumnName,
  data: Buffer,
): void {
  statement(
    sqlite,
    'UPDATE entry_segments SET data = ? WHERE upload_id = ? AND chunk = ? AND "column" = ?',
  ).run(data, uploadId, chunk, name);
}

/** What chunk_results says of a stored chunk: where it lies and its skip index. */
export interface ChunkMeta {
  chunk: number;
  start: number;
  end: number;
  /** Records (rows of every column). */
  records: number;
  lines: number;
  minTs: number | null;
  maxTs: number | null;
  levelMask: number | null;
  flagMask: number | null;
  statuses: number[] | null;
  undated: number | null;
  /** Read only when asked for (text search). */
  textFilter?: Buffer | null;
}

interface ChunkMetaRow extends Omit<ChunkMeta, 'statuses'> {
  statusSet: Buffer | null;
}

/** Every chunk of an upload, in file order. */
export function loadChunkMetas(sqlite: Sqlite, uploadId: string, withTextFilter = false): ChunkMeta[] {
  const rows = statement(
    sqlite,
    `SELECT chunk, start_byte AS start, end_byte AS end, records, lines, min_ts AS minTs, max_ts AS maxTs,
       level_mask AS levelMask, flag_mask AS flagMask, status_set AS statusSet, undated
       ${withTextFilter ? ', text_filter AS textFilter' : ''}
     FROM chunk_results WHERE upload_id = ? ORDER BY chunk`,
  ).all(uploadId) as ChunkMetaRow[];
  return rows.map(({ statusSet, ...meta }) => ({
    ...meta,
    statuses: meta.levelMask === null ? null : readStatusSet(statusSet),
  }));
}

/**
 * One stored chunk's columns, each read from the database and decoded the first time it is asked for.
 * `null` for an optional column the chunk does not have (every value "none").
 */
export class ChunkSegment {
  private readonly cache = new Map<ColumnName, unknown>();

  constructor(
    private readonly sqlite: Sqlite,
    private readonly uploadId: string,
    readonly meta: ChunkMeta,
  ) {}

  get rows(): number {
    return this.meta.records;
  }

  /** The file offset of row `i`. */
  offsetOf(i: number): number {
    return this.meta.start + (this.offset[i] as number);
  }

  get offset(): Uint32Array {
    return this.required('offset', unpack.offset);
  }
  get length(): Uint32Array {
    return this.required('length', unpack.length);
  }
  get line(): Uint32Array {
    return this.required('line', unpack.line);
  }
  get ts(): Float64Array {
    return this.required('ts', unpack.ts);
  }
  get level(): Uint8Array {
    return this.required('level', unpack.level);
  }
  get flags(): Uint8Array {
    return this.required('flags', unpack.flags);
  }
  get signature(): Uint32Array {
    return this.required('signature', unpack.signature);
  }
  get signatures(): Float64Array {
    return this.column('signatures', (b) => unpack.signatures(b)) ?? new Float64Array(0);
  }
  get status(): Uint16Array | null {
    return this.column('status', unpack.status);
  }
  get service(): Uint32Array | null {
    return this.column('service', unpack.service);
  }
  get services(): string[] {
    return this.column('services', (b) => unpack.services(b)) ?? [];
  }

  private required<T>(name: ColumnName, decode: (b: Uint8Array, rows: number) => T): T {
    const value = this.column(name, decode);
    if (value === null) {
      throw new Error(`upload ${this.uploadId} chunk ${this.meta.chunk} has no stored "${name}" column`);
    }
    return value;
  }

  private column<T>(name: ColumnName, decode: (b: Uint8Array, rows: number) => T): T | null {
    if (this.cache.has(name)) return this.cache.get(name) as T | null;
    const bytes = statement(
      this.sqlite,
      'SELECT data FROM entry_segments WHERE upload_id = ? AND chunk = ? AND "column" = ?',
    )
      .pluck()
      .get(this.uploadId, this.meta.chunk, name) as Buffer | undefined;
    const value = bytes === undefined ? null : decode(bytes, this.meta.records);
    this.cache.set(name, value);
    return value;
  }
}

/** The row of a chunk whose offset is the first at or after `offset` (rows.length when none). */
export function firstRowAtOrAfter(segment: ChunkSegment, fileOffset: number): number {
  const rel = fileOffset - segment.meta.start;
  const offsets = segment.offset;
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((offsets[mid] as number) < rel) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The chunk (index into `metas`, file order) holding byte `offset`, or -1. */
export function chunkAt(metas: readonly ChunkMeta[], offset: number): number {
  let lo = 0;
  let hi = metas.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = metas[mid] as ChunkMeta;
    if (offset < m.start) hi = mid - 1;
    else if (offset >= m.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
