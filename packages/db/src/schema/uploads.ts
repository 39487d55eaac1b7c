/** Uploads and their flow: the upload row, its jobs' states, the stages' hand-offs and the report. */
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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

export const reports = sqliteTable('reports', {
  uploadId: text('upload_id')
    .primaryKey()
    .references(() => uploads.id, { onDelete: 'cascade' }),
  createdAt: integer('created_at').notNull(),
  json: text('json').notNull(),
  markdown: text('markdown').notNull(),
  html: text('html').notNull(),
});
