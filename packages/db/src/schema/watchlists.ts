/** Watchlists and the entries that matched them. */
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
