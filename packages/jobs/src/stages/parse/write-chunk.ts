import { entryIdRange, type Sqlite, type Store } from '@logsift/db';
import { levelRank, type ParsedFields } from '../../entry.js';
import { TextFilterBuilder } from '../../query/text-filter.js';

type Statement = ReturnType<Sqlite['prepare']>;

/** One entry's column values, in the order of ROW_COLUMNS. */
export type EntryValues = [
  id: number,
  chunk: number,
  line: number,
  span: number,
  offset: number,
  length: number,
  ts: number | null,
  tz: string | null,
  level: number | null,
  service: string | null,
  host: string | null,
  method: string | null,
  path: string | null,
  status: number | null,
  bytes: number | null,
  latencyMs: number | null,
  message: string,
  /** The 53-bit hash of the message's template-miner signature (kept messages only). */
  signature: number | null,
  flags: number,
  fields: string | null,
];

/** The columns a parse job fills; `source` is the upload's, added when the rows are copied. */
const ROW_COLUMNS = `id, chunk, line, span, offset, length, ts, tz, level, service, host, method, path, status,
  bytes, latency_ms, message, signature, flags, fields`;

/** Where the chunk, the timestamp and the message sit in EntryValues. */
export const CHUNK_SLOT = 1;
const TS_SLOT = 6;
const MESSAGE_SLOT = 16;

/** Fills `row` (its chunk set already) with one record's values. */
export function setEntryValues(
  row: EntryValues,
  id: number,
  line: number,
  record: { offset: number; byteLength: number; lineCount: number },
  f: ParsedFields,
  signature: number | null,
  flags: number,
): void {
  row[0] = id;
  row[2] = line;
  row[3] = record.lineCount;
  row[4] = record.offset;
  row[5] = record.byteLength;
  row[TS_SLOT] = f.ts ?? null;
  row[7] = f.tz ?? null;
  row[8] = f.level ? levelRank(f.level) : null;
  row[9] = f.service ?? null;
  row[10] = f.host ?? null;
  row[11] = f.method ?? null;
  row[12] = f.path ?? null;
  row[13] = f.status ?? null;
  row[14] = f.bytes ?? null;
  row[15] = f.latencyMs ?? null;
  row[MESSAGE_SLOT] = f.message;
  row[17] = signature;
  row[18] = flags;
  row[19] = f.fields && Object.keys(f.fields).length > 0 ? JSON.stringify(f.fields) : null;
}

export interface ChunkResultValues {
  uploadId: string;
  chunk: number;
  startByte: number;
  endByte: number;
  lines: number;
  records: number;
  parsed: number;
  unparsed: number;
  summary: string;
  /** Packed exact-duplicate keys and offsets for the clean stage (dedup-keys.ts). */
  dedup?: Buffer | null;
}

/** How long a commit waited for the database's write lock (other workers' writes) and then held it. */
export interface LockTimes {
  waitedMs: number;
  heldMs: number;
}

/**
 * Each connection's staging tables not in use, all empty (`release` empties a table before it comes back
 * here). A worker runs several parse jobs on one connection, and each stages into a table of its own for as
 * long as it runs.
 */
const idleStages = new WeakMap<Sqlite, string[]>();
const stageCount = new WeakMap<Sqlite, number>();

function takeStage(sqlite: Sqlite): string {
  const idle = idleStages.get(sqlite)?.pop();
  if (idle) return idle;
  const n = stageCount.get(sqlite) ?? 0;
  stageCount.set(sqlite, n + 1);
  const table = `entry_stage_${n}`;
  sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS ${table} (${ROW_COLUMNS})`);
  return table;
}

/**
 * Writes one chunk's entries. Rows are staged as they are parsed into a TEMP table of the connection's
 * (no lock on the database file, so this runs while other processes write, and the chunk's rows are not
 * held in memory); `commit` then replaces everything the chunk wrote before (a chunk retried after a
 * crash) with the staged rows and the chunk's result, in one transaction: a chunk's rows are all there or
 * none are, and never twice. The write lock, which all workers share, is held only while SQLite copies
 * the rows into `entries` and its indexes. `release` must follow, whatever happened: it empties the
 * staging table, outside the lock.
 */
export class ChunkWriter {
  private readonly insert: Statement;
  private readonly skip = new SkipIndexBuilder();
  private released = false;

  private constructor(
    private readonly sqlite: Sqlite,
    private readonly table: string,
  ) {
    this.insert = sqlite.prepare(`INSERT INTO temp.${table} (${ROW_COLUMNS})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  static open(store: Store): ChunkWriter {
    return new ChunkWriter(store.sqlite, takeStage(store.sqlite));
  }

  /**
   * Stages rows: `fill` calls `add` once for each, and may pass the same array every time (its values are
   * bound at once). One transaction on the TEMP table for all of them.
   */
  stage(fill: (add: (row: EntryValues) => void) => void): void {
    const add = (row: EntryValues) => {
      this.insert.run(row);
      this.skip.add(row[TS_SLOT], row[MESSAGE_SLOT]);
    };
    this.sqlite.transaction(() => fill(add))();
  }

  commit(
    upload: { seq: number; entryBase: number },
    range: { start: number; end: number },
    result: ChunkResultValues,
    matches: readonly [entryId: number, term: string][] = [],
  ): LockTimes {
    const { sqlite, table } = this;
    const remove = sqlite.prepare('DELETE FROM entries WHERE id >= ? AND id < ?');
    const copy = sqlite.prepare(
      `INSERT INTO entries (source, ${ROW_COLUMNS}) SELECT ?, ${ROW_COLUMNS} FROM temp.${table}`,
    );
    const removeMatches = sqlite.prepare(
      'DELETE FROM watch_matches WHERE source = ? AND entry_id >= ? AND entry_id < ?',
    );
    const insertMatch = sqlite.prepare('INSERT INTO watch_matches (source, entry_id, term) VALUES (?, ?, ?)');
    const saveResult = sqlite.prepare(`INSERT OR REPLACE INTO chunk_results
      (upload_id, chunk, start_byte, end_byte, lines, records, parsed, unparsed, summary, dedup, min_ts, max_ts,
       text_filter)
      VALUES (@uploadId, @chunk, @startByte, @endByte, @lines, @records, @parsed, @unparsed, @summary, @dedup,
        @minTs, @maxTs, @textFilter)`);
    const skip = this.skip.finish();
    const source = upload.seq;
    const asked = performance.now();
    let granted = asked;
    sqlite
      .transaction(() => {
        granted = performance.now();
        const ids = entryIdRange(upload.entryBase, range.start, range.end);
        remove.run(...ids);
        removeMatches.run(source, ...ids);
        copy.run(source);
        for (const [entryId, term] of matches) insertMatch.run(source, entryId, term);
        saveResult.run({ ...result, dedup: result.dedup ?? null, ...skip });
      })
      .immediate();
    return { waitedMs: granted - asked, heldMs: performance.now() - granted };
  }

  /** Empties the staging table and gives it back to the connection. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (!this.sqlite.open) return;
    this.sqlite.exec(`DELETE FROM temp.${this.table}`);
    const idle = idleStages.get(this.sqlite) ?? [];
    idle.push(this.table);
    idleStages.set(this.sqlite, idle);
  }
}

/** Writes a chunk whose rows are all at hand (ChunkWriter in one go). */
export function writeChunk(
  store: Store,
  upload: { seq: number; entryBase: number },
  range: { start: number; end: number },
  rows: readonly EntryValues[],
  result: ChunkResultValues,
  matches: readonly [entryId: number, term: string][] = [],
): void {
  const writer = ChunkWriter.open(store);
  try {
    writer.stage((add) => {
      for (const row of rows) add(row);
    });
    writer.commit(upload, range, result, matches);
  } finally {
    writer.release();
  }
}

interface SkipIndex {
  minTs: number | null;
  maxTs: number | null;
  textFilter: Buffer | null;
}

/**
 * What lets a query skip the chunk (chunk_results): the earliest and latest timestamp among its rows (a
 * zone map for time filters) and the text filter of their messages (for text search).
 */
class SkipIndexBuilder {
  private minTs = Number.POSITIVE_INFINITY;
  private maxTs = Number.NEGATIVE_INFINITY;
  private readonly text = new TextFilterBuilder();

  add(ts: number | null, message: string): void {
    this.text.add(message);
    if (ts === null) return;
    if (ts < this.minTs) this.minTs = ts;
    if (ts > this.maxTs) this.maxTs = ts;
  }

  finish(): SkipIndex {
    const span =
      this.minTs <= this.maxTs ? { minTs: this.minTs, maxTs: this.maxTs } : { minTs: null, maxTs: null };
    return { ...span, textFilter: this.text.finish() };
  }
}

/** The skip index of rows at hand. */
export function skipIndex(rows: readonly EntryValues[]): SkipIndex {
  const builder = new SkipIndexBuilder();
  for (const row of rows) builder.add(row[TS_SLOT], row[MESSAGE_SLOT]);
  return builder.finish();
}
