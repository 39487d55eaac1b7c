/** Mined templates, per upload signature and per hour of live events, and saved formats. */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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

/** Custom formats saved under a name (a Loghub-style pattern), usable as an upload's `format`. */
export const savedFormats = sqliteTable('saved_formats', {
  name: text('name').primaryKey(),
  pattern: text('pattern').notNull(),
  description: text('description'),
  createdAt: integer('created_at').notNull(),
});
