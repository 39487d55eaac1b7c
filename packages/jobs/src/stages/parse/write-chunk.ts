import { entryIdRange, type Sqlite, type Statement, type Store } from '@logsift/db';
import type { SegmentColumns } from '../../segments/columns.js';
import type { SkipIndex } from '../../segments/skip-index.js';
import { saveSegment } from '../../segments/store.js';

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

interface CommitStatements {
  removeMatches: Statement;
  insertMatch: Statement;
  saveResult: Statement;
}

const statements = new WeakMap<Sqlite, CommitStatements>();

function prepare(sqlite: Sqlite): CommitStatements {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      removeMatches: sqlite.prepare(
        'DELETE FROM watch_matches WHERE source = ? AND entry_id >= ? AND entry_id < ?',
      ),
      insertMatch: sqlite.prepare('INSERT INTO watch_matches (source, entry_id, term) VALUES (?, ?, ?)'),
      saveResult: sqlite.prepare(`INSERT OR REPLACE INTO chunk_results
        (upload_id, chunk, start_byte, end_byte, lines, records, parsed, unparsed, summary, dedup, min_ts,
         max_ts, text_filter, level_mask, flag_mask, status_set, undated)
        VALUES (@uploadId, @chunk, @startByte, @endByte, @lines, @records, @parsed, @unparsed, @summary, @dedup,
          @minTs, @maxTs, @textFilter, @levelMask, @flagMask, @statusSet, @undated)`),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/**
 * Stores one parsed chunk: its columns, its result and skip index, and its watchlist matches, replacing
 * whatever the chunk stored before (a chunk retried after a crash), in one transaction: a chunk's records
 * are all there or none are, and never twice. The write lock, which every worker shares, is held for a few
 * blobs a chunk, not a row per record.
 */
export function writeChunk(
  store: Store,
  upload: { seq: number; entryBase: number },
  range: { start: number; end: number },
  columns: SegmentColumns,
  result: ChunkResultValues,
  skip: SkipIndex,
  matches: readonly [entryId: number, term: string][] = [],
): LockTimes {
  const { sqlite } = store;
  const s = prepare(sqlite);
  const source = upload.seq;
  const asked = performance.now();
  let granted = asked;
  sqlite
    .transaction(() => {
      granted = performance.now();
      const ids = entryIdRange(upload.entryBase, range.start, range.end);
      s.removeMatches.run(source, ...ids);
      saveSegment(sqlite, result.uploadId, result.chunk, columns);
      for (const [entryId, term] of matches) s.insertMatch.run(source, entryId, term);
      s.saveResult.run({ ...result, dedup: result.dedup ?? null, ...skip });
    })
    .immediate();
  return { waitedMs: granted - asked, heldMs: performance.now() - granted };
}
