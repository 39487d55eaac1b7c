/** What each parse chunk stores: its result and skip index, and its records column by column. */
import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { uploads } from './uploads.js';

/** What each parse chunk produced: its counts and mergeable statistics, read by later stages. */
export const chunkResults = sqliteTable(
  'chunk_results',
  {
    uploadId: text('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    chunk: integer('chunk').notNull(),
    startByte: integer('start_byte').notNull(),
    endByte: integer('end_byte').notNull(),
    /** Physical lines read and records (multi-line entries) produced. */
    lines: integer('lines').notNull(),
    records: integer('records').notNull(),
    parsed: integer('parsed').notNull(),
    unparsed: integer('unparsed').notNull(),
    /** JSON: flag counts, statistics partial, template mapping. */
    summary: text('summary').notNull(),
    /**
     * The exact-duplicate keys of the chunk's first occurrences and their byte offsets, as little-endian
     * float64 pairs (8 + 8 bytes a record): read by the clean stage one chunk at a time, kept out of the
     * JSON summary so that no stage parses millions of numbers at once. Cleared when the upload completes.
     */
    dedup: blob('dedup', { mode: 'buffer' }),
    /**
     * The earliest and latest timestamp among the chunk's records (epoch ms; both null when none has one):
     * a zone map, so a time filter on an upload's entries reads only the chunks whose span meets it.
     */
    minTs: integer('min_ts'),
    maxTs: integer('max_ts'),
    /**
     * Bloom filters of what the chunk's messages contain (query/text-filter.ts), so a text search skips
     * the chunks that cannot hold its text; null when they could rule nothing out (or written before).
     */
    textFilter: blob('text_filter', { mode: 'buffer' }),
    /**
     * More of the skip index, read by queries before any of the chunk's columns: the levels present (bit
     * r for rank r, bit 6 for records without one), every flag any record has (OR of them), the status
     * codes present (sorted little-endian uint16s, null when none) and the records without a timestamp.
     */
    levelMask: integer('level_mask'),
    flagMask: integer('flag_mask'),
    statusSet: blob('status_set', { mode: 'buffer' }),
    undated: integer('undated'),
  },
  (t) => [
    primaryKey({ columns: [t.uploadId, t.chunk] }),
    /**
     * Covers what a query reads of every chunk before any of its columns (loadChunkMetas). In the table
     * those values lie after the summary and dedup blobs (hundreds of KiB a chunk, in overflow pages that
     * reading them would walk); the index holds them alone.
     */
    index('chunk_results_skip_index').on(
      t.uploadId,
      t.chunk,
      t.startByte,
      t.endByte,
      t.records,
      t.lines,
      t.minTs,
      t.maxTs,
      t.levelMask,
      t.flagMask,
      t.statusSet,
      t.undated,
    ),
  ],
);

/**
 * An uploaded chunk's records, column by column (segments/columns.ts): one row per chunk and column, each
 * a packed array with one value per record in file order. Written with the chunk's result in one
 * transaction; the text of each record stays in the stored file, where `offset` and `length` point.
 */
export const entrySegments = sqliteTable(
  'entry_segments',
  {
    uploadId: text('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    chunk: integer('chunk').notNull(),
    column: text('column').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.chunk, t.column] })],
);
