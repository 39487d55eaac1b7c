import { randomBytes } from 'node:crypto';
import { type Store, watchlists } from '@logsift/db';
import { desc, eq } from 'drizzle-orm';
import { AppError } from './errors.js';
import type { WatchlistOption } from './uploads/options.js';

export interface SavedWatchlist extends WatchlistOption {
  id: string;
  name: string;
  createdAt: number;
}

type Row = typeof watchlists.$inferSelect;
const toSaved = (r: Row): SavedWatchlist => ({
  id: r.id,
  name: r.name,
  terms: JSON.parse(r.terms) as string[],
  falsePositiveRate: r.falsePositiveRate,
  createdAt: r.createdAt,
});

export function saveWatchlist(store: Store, name: string, list: WatchlistOption): SavedWatchlist {
  const row = store.db
    .insert(watchlists)
    .values({
      id: `wl_${randomBytes(6).toString('hex')}`,
      name,
      terms: JSON.stringify(list.terms),
      falsePositiveRate: list.falsePositiveRate,
      createdAt: Date.now(),
    })
    .returning()
    .get();
  return toSaved(row);
}

export function listWatchlists(store: Store): SavedWatchlist[] {
  return store.db.select().from(watchlists).orderBy(desc(watchlists.createdAt)).all().map(toSaved);
}

/** A saved watchlist by id, or 422 naming it (it is referenced from an upload's options). */
export function loadWatchlist(store: Store, id: string): SavedWatchlist {
  const row = store.db.select().from(watchlists).where(eq(watchlists.id, id)).get();
  if (!row) throw new AppError('invalid_option', `watchlist ${id} does not exist`);
  return toSaved(row);
}
