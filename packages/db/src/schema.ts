import { sql } from 'drizzle-orm';
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

/** Upload lifecycle: queued -> processing -> completed | failed. */
export const UPLOAD_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export const uploads = sqliteTable(
  'uploads',
  {
    /** Public id, time-sortable ("newest first" is ORDER BY id DESC). */
    id: text('id').primaryKey(),
    /** Compact integer id stored with every entry of this upload (0 is reserved for live events). */
    seq: integer('seq').notNull(),
    /** The first of the entry ids reserved for this upload, one per byte of the stored file (entry-ids.ts). */
    entryBase: integer('entry_base').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Client-supplied file name, for display only: stored files are named by id. */
    filename: text('filename').notNull(),
    storedPath: text('stored_path').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** 'gzip' when the stored file is gzip-compressed, else 'none'. */
    compression: text('compression').notNull().default('none'),
    /**
     * The Loghub-style pattern of a custom or saved format (so the upload's jobs need no lookup and survive
     * the saved format's removal), else the built-in format name the client asked for, if any.
     */
    requestedFormat: text('requested_format'),
    format: text('format'),
    formatConfidence: real('format_confidence'),
    service: text('service'),
    /** Upload options as JSON: tz, clean rules, watchlist. */
    options: text('options').notNull().default('{}'),
    status: text('status', { enum: UPLOAD_STATUSES }).notNull().default('queued'),
    /** Incremented by every retry; part of the flow's job ids so a retry is a fresh flow. */
    attempt: integer('attempt').notNull().default(1),
    chunkCount: integer('chunk_count').notNull().default(0),
    lines: integer('lines'),
    records: integer('records'),
    parsed: integer('parsed'),
    unparsed: integer('unparsed'),
    dropped: integer('dropped'),
    error: text('error'),
    startedAt: integer('started_at'),
    completedAt: integer('completed_at'),
  },
  (t) => [uniqueIndex('uploads_seq').on(t.seq), index('uploads_sha256').on(t.sha256)],
);

/** One row per job of an upload's flow: the state behind each stage's progress and timings. */
export const uploadJobs = sqliteTable(
  'upload_jobs',
  {
    uploadId: text('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    stage: text('stage').notNull(),
    /** Chunk index for parse jobs, 0 for the single-job stages. */
    part: integer('part').notNull(),
    state: text('state').notNull().default('waiting'),
    attempts: integer('attempts').notNull().default(0),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.stage, t.part] })],
);

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

export const reports = sqliteTable('reports', {
  uploadId: text('upload_id')
    .primaryKey()
    .references(() => uploads.id, { onDelete: 'cascade' }),
  createdAt: integer('created_at').notNull(),
  json: text('json').notNull(),
  markdown: text('markdown').notNull(),
  html: text('html').notNull(),
});

/** What the single-job stages (clean, analyze) hand to the stages after them, as JSON. */
export const stageResults = sqliteTable(
  'stage_results',
  {
    uploadId: text('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    stage: text('stage').notNull(),
    json: text('json').notNull(),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.stage] })],
);

/** Custom formats saved under a name (a Loghub-style pattern), usable as an upload's `format`. */
export const savedFormats = sqliteTable('saved_formats', {
  name: text('name').primaryKey(),
  pattern: text('pattern').notNull(),
  description: text('description'),
  createdAt: integer('created_at').notNull(),
});

/**
 * Templates mined per service ('' when the entries carry none), persisted so a later upload reuses the ids
 * and can tell which templates are new.
 */
export const templates = sqliteTable(
  'templates',
  {
    service: text('service').notNull(),
    id: text('id').notNull(),
    template: text('template').notNull(),
    count: integer('count').notNull().default(0),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** The upload (or 'live') that first produced it. */
    firstSource: text('first_source'),
  },
  (t) => [primaryKey({ columns: [t.service, t.id] })],
);

/** Saved watchlists: messages or templates of interest, checked through a Bloom filter. */
export const watchlists = sqliteTable('watchlists', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** JSON array of terms. */
  terms: text('terms').notNull(),
  falsePositiveRate: real('false_positive_rate').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Entries that matched a watchlist term, per upload (or live). */
export const watchMatches = sqliteTable(
  'watch_matches',
  {
    id: integer('id').primaryKey(),
    /** uploads.seq, or 0 for live events. */
    source: integer('source').notNull(),
    entryId: integer('entry_id').notNull(),
    term: text('term').notNull(),
  },
  (t) => [index('watch_matches_source').on(t.source, t.entryId)],
);

/** Live events that failed validation, kept with the error until replayed. */
export const deadLetters = sqliteTable(
  'dead_letters',
  {
    id: integer('id').primaryKey(),
    receivedAt: integer('received_at').notNull(),
    /** The token name that sent it. */
    caller: text('caller').notNull(),
    /** 'http' or 'tcp'. */
    transport: text('transport').notNull(),
    service: text('service'),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    /** The event as received (JSON text, or the raw line). */
    payload: text('payload').notNull(),
    replayedAt: integer('replayed_at'),
    replayResult: text('replay_result'),
  },
  (t) => [index('dead_letters_received').on(t.receivedAt), index('dead_letters_service').on(t.service, t.id)],
);

/**
 * Aggregates of live events: tumbling windows per service and level, and daily counts per service.
 * Lineage is the window's predicate over stored events (service, level, time range), so listing the
 * events behind a metric needs no row per event per metric.
 */
export const metrics = sqliteTable(
  'metrics',
  {
    id: integer('id').primaryKey(),
    /** 'window' or 'daily'. */
    kind: text('kind').notNull(),
    service: text('service').notNull(),
    /** Level rank for windows; -1 for daily metrics (all levels). */
    level: integer('level').notNull(),
    windowStart: integer('window_start').notNull(),
    windowMs: integer('window_ms').notNull(),
    count: integer('count').notNull(),
    errors: integer('errors').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('metrics_key').on(t.kind, t.service, t.level, t.windowStart, t.windowMs),
    index('metrics_time').on(t.kind, t.windowStart),
  ],
);

/**
 * Live events per template per hour of event time, written in the transaction that stores them: the top
 * templates of a time range are summed from here instead of grouping every event in the range.
 */
export const templateHours = sqliteTable(
  'template_hours',
  {
    service: text('service').notNull(),
    templateId: text('template_id').notNull(),
    /** Start of the UTC hour, epoch ms. */
    hourStart: integer('hour_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.service, t.templateId, t.hourStart] }),
    index('template_hours_time').on(t.hourStart),
  ],
);

/** Which template each signature of an upload belongs to (decided when the upload's chunks are merged). */
export const uploadSignatures = sqliteTable(
  'upload_signatures',
  {
    /** uploads.seq */
    source: integer('source').notNull(),
    signature: integer('signature').notNull(),
    templateId: text('template_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.signature] }),
    index('upload_signatures_template').on(t.source, t.templateId),
  ],
);

/**
 * Live batches already stored: one row per spooled batch (the spool itself is a separate SQLite file
 * owned by the API, see @logsift/jobs live/spool.ts), written in the same transaction as the batch's
 * entries and metrics. Storing a batch twice is impossible: the second attempt finds its row here.
 */
export const liveStored = sqliteTable('live_stored', {
  batchId: integer('batch_id').primaryKey(),
  /** Events the batch held, and when they were stored (epoch ms). */
  count: integer('count').notNull(),
  storedAt: integer('stored_at').notNull(),
});

/** Named counters; `entry_id` hands out entry id ranges (entry-ids.ts). */
export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});
