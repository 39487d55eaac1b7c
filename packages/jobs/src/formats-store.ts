import { type Store, savedFormats } from '@logsift/db';
import { asc, eq } from 'drizzle-orm';
import { AppError } from './errors.js';
import { compileLoghubFormat } from './formats/loghub.js';
import { getFormat } from './formats/registry.js';

export type SavedFormatRow = typeof savedFormats.$inferSelect;

/** Saves a custom Loghub-style pattern under a name; the pattern must compile and the name be free. */
export function saveFormat(
  store: Store,
  name: string,
  pattern: string,
  description: string | null,
): SavedFormatRow {
  if (getFormat(name)) throw new AppError('conflict', `"${name}" is a built-in format; choose another name`);
  try {
    compileLoghubFormat(name, pattern);
  } catch (err) {
    throw new AppError('invalid_format', (err as Error).message);
  }
  if (findSavedFormat(store, name)) throw new AppError('conflict', `a format named "${name}" already exists`);
  return store.db
    .insert(savedFormats)
    .values({ name, pattern, description, createdAt: Date.now() })
    .returning()
    .get();
}

export function findSavedFormat(store: Store, name: string): SavedFormatRow | undefined {
  return store.db.select().from(savedFormats).where(eq(savedFormats.name, name)).get();
}

export function listSavedFormats(store: Store): SavedFormatRow[] {
  return store.db.select().from(savedFormats).orderBy(asc(savedFormats.name)).all();
}
