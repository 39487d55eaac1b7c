/** Live events beside their rows: dead letters, windowed metrics, the batches already stored. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
