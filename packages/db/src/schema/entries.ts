/** Live events as rows, and the counter that hands out entry ids. */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Live events, one row each (uploaded records are stored by chunk and column in entry_segments). Columns
 * are compact on purpose (integer level, integer source).
 *
 * Databases written before entry_segments also hold uploaded records here (source = the upload's seq);
 * segments/legacy.ts moves them into segments. An uploaded record's id is its upload's `entry_base` + its
 * byte offset (entry-ids.ts), wherever it is stored.
 */
export const entries = sqliteTable(
  'entries',
  {
    id: integer('id').primaryKey(),
    /** uploads.seq, or 0 for live events. */
    source: integer('source').notNull(),
    /** Chunk index within the upload, and the record's 1-based line number within that chunk. */
    chunk: integer('chunk').notNull(),
    line: integer('line').notNull(),
    /** Physical lines the record spans (multi-line records such as stack traces). */
    span: integer('span').notNull().default(1),
    /**
     * Where the record's text lies in the stored (decompressed) file: the raw text is read from there
     * when asked for, rather than stored a second time beside its parsed fields.
     */
    offset: integer('offset').notNull(),
    length: integer('length').notNull().default(0),
    /** Epoch milliseconds, UTC. */
    ts: integer('ts'),
    tz: text('tz'),
    /** 0 TRACE .. 5 FATAL. */
    level: integer('level'),
    service: text('service'),
    host: text('host'),
    method: text('method'),
    path: text('path'),
    status: integer('status'),
    bytes: integer('bytes'),
    latencyMs: real('latency_ms'),
    /** The message; for a multi-line record, with its continuation lines. */
    message: text('message').notNull(),
    /**
     * Uploaded records: a 53-bit hash of the masked message (the miner's signature), mapped to its template by
     * upload_signatures once the whole upload is mined, so no row is rewritten. Live events: unused.
     */
    signature: integer('signature'),
    /** Live events: the template id, assigned when the event is stored. */
    templateId: text('template_id'),
    /** Cleaning flags (see FLAG in @logsift/jobs). */
    flags: integer('flags').notNull().default(0),
    /** Extra structured fields as JSON, when the format has them. */
    fields: text('fields'),
    /** Live events: the client's event id (dedup key), and when the event was received (epoch ms). */
    eventId: text('event_id'),
    receivedAt: integer('received_at'),
  },
  (t) => [
    index('entries_source_level').on(t.source, t.level),
    // Partial: live events and most formats have no status, uploads' rows always have a signature and
    // live rows never; rows without the value cost no index entry (a filter on it implies NOT NULL).
    index('entries_source_status').on(t.source, t.status).where(sql`${t.status} IS NOT NULL`),
    index('entries_source_ts').on(t.source, t.ts),
    index('entries_source_signature').on(t.source, t.signature).where(sql`${t.signature} IS NOT NULL`),
  ],
);

/** Named counters; `entry_id` hands out entry id ranges (entry-ids.ts). */
export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});
