import { entryIdRange, type Store } from '@logsift/db';
import { TextFilterBuilder } from '../../query/text-filter.js';

/** One entry's column values, in the order of INSERT_SQL. */
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
  /** The miner's local id while the chunk is parsed, its 53-bit signature hash when written. */
  signature: number | null,
  flags: number,
  fields: string | null,
];

const COLUMNS = `id, source, chunk, line, span, offset, length, ts, tz, level, service, host, method, path, status,
  bytes, latency_ms, message, signature, flags, fields`;

/**
 * A connection's staging table for a chunk's rows: a TEMP table, so filling it takes no lock on the
 * database file and runs while other processes write; only the copy into `entries` holds the write lock.
 */
const STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS entry_stage (${COLUMNS})`;
const STAGE_INSERT_SQL = `INSERT INTO temp.entry_stage (${COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Where the timestamp and the message sit in EntryValues. */
const TS_SLOT = 6;
const MESSAGE_SLOT = 16;
/** Where the signature sits in EntryValues. */
export const SIGNATURE_SLOT = 17;

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

/**
 * Replaces everything a chunk wrote before (a retried chunk after a crash) with its new entries and result,
 * in one transaction: a chunk's rows are all there or none are, and never twice. The rows are staged first
 * (entry_stage, no lock on the database), so the write lock, which all workers share, is held only while
 * SQLite copies them into `entries` and its indexes, not while each row's values are bound from JavaScript.
 */
export function writeChunk(
  store: Store,
  upload: { seq: number; entryBase: number },
  range: { start: number; end: number },
  rows: readonly EntryValues[],
  result: ChunkResultValues,
  matches: readonly [entryId: number, term: string][] = [],
): void {
  const { sqlite } = store;
  sqlite.exec(STAGE_SQL);
  const stage = sqlite.prepare(STAGE_INSERT_SQL);
  const unstage = sqlite.prepare('DELETE FROM temp.entry_stage');
  const remove = sqlite.prepare('DELETE FROM entries WHERE id >= ? AND id < ?');
  const copy = sqlite.prepare(`INSERT INTO entries (${COLUMNS}) SELECT ${COLUMNS} FROM temp.entry_stage`);
  const removeMatches = sqlite.prepare(
    'DELETE FROM watch_matches WHERE source = ? AND entry_id >= ? AND entry_id < ?',
  );
  const insertMatch = sqlite.prepare('INSERT INTO watch_matches (source, entry_id, term) VALUES (?, ?, ?)');
  const saveResult = sqlite.prepare(`INSERT OR REPLACE INTO chunk_results
    (upload_id, chunk, start_byte, end_byte, lines, records, parsed, unparsed, summary, dedup, min_ts, max_ts,
     text_filter)
    VALUES (@uploadId, @chunk, @startByte, @endByte, @lines, @records, @parsed, @unparsed, @summary, @dedup,
      @minTs, @maxTs, @textFilter)`);
  const skip = skipIndex(rows);
  const source = upload.seq;
  sqlite.transaction(() => {
    unstage.run();
    for (const row of rows) stage.run(row[0], source, ...row.slice(1));
  })();
  sqlite
    .transaction(() => {
      const ids = entryIdRange(upload.entryBase, range.start, range.end);
      remove.run(...ids);
      removeMatches.run(source, ...ids);
      copy.run();
      unstage.run();
      for (const [entryId, term] of matches) insertMatch.run(source, entryId, term);
      saveResult.run({ ...result, dedup: result.dedup ?? null, ...skip });
    })
    .immediate();
}

/**
 * What lets a query skip the chunk (chunk_results): the earliest and latest timestamp among its rows (a
 * zone map for time filters) and the text filter of their messages (for text search).
 */
export function skipIndex(rows: readonly EntryValues[]): {
  minTs: number | null;
  maxTs: number | null;
  textFilter: Buffer | null;
} {
  let minTs = Number.POSITIVE_INFINITY;
  let maxTs = Number.NEGATIVE_INFINITY;
  const text = new TextFilterBuilder();
  for (const row of rows) {
    text.add(row[MESSAGE_SLOT]);
    const ts = row[TS_SLOT];
    if (ts === null) continue;
    if (ts < minTs) minTs = ts;
    if (ts > maxTs) maxTs = ts;
  }
  const span = minTs <= maxTs ? { minTs, maxTs } : { minTs: null, maxTs: null };
  return { ...span, textFilter: text.finish() };
}
