import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { BACKSTOP_CHECKPOINT_PAGES, startCheckpointer } from './checkpointer.js';
import * as schema from './schema.js';
import { WalSync } from './wal-sync.js';

export type Db = BetterSQLite3Database<typeof schema>;
export type Sqlite = Database.Database;
export type Statement = Database.Statement<unknown[]>;

export interface Store {
  /** The raw connection, for hot paths (bulk inserts) that prepared statements serve better than the ORM. */
  sqlite: Sqlite;
  db: Db;
  /**
   * Resolves once every commit made so far is on the disk, surviving an OS crash or power loss and not
   * only the death of the process: fsyncs the write-ahead log from libuv's thread pool, so the thread
   * that committed keeps working meanwhile. The commits themselves stay synchronous=NORMAL; a caller
   * awaits this before acknowledging what it wrote. Concurrent calls share flushes (wal-sync.ts).
   */
  syncLog(): Promise<void>;
  close(): void;
}

/** Accepts `file:relative/or/absolute.db`, `sqlite:...` or a plain path; `:memory:` for tests. */
export function databasePath(url: string): string {
  const path = url.replace(/^(file|sqlite):(\/\/)?/, '');
  return path === ':memory:' ? path : resolve(path);
}

/** How long a writer waits for another process's write lock before SQLITE_BUSY, in ms (default). */
export const BUSY_TIMEOUT_MS = 15_000;

/** SQLITE_BUSY and its variants: another connection held the lock longer than the busy timeout. */
export function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/**
 * Page size of a new database, bytes. Larger pages than SQLite's 4 KiB take a fifth less time to insert
 * rows into `entries` and its indexes under the write lock every worker shares (bench/write-chunk.mjs).
 * A database keeps the page size it was made with.
 */
export const PAGE_SIZE = 16_384;

/** SQLite page cache of a connection, MiB, unless `StoreOptions.pageCacheMiB` says otherwise. */
export const DEFAULT_PAGE_CACHE_MIB = 64;

export interface StoreOptions {
  readonly?: boolean;
  /**
   * Page cache, MiB: SQLite fills it up to this size and keeps it for the connection's life, so it counts
   * towards the process's resident memory (default `DEFAULT_PAGE_CACHE_MIB`).
   */
  pageCacheMiB?: number;
  busyTimeoutMs?: number;
  /**
   * Checkpoint the WAL from a background thread (the long-lived writers: API and workers), so commits
   * never wait for a checkpoint's fsyncs; a commit still checkpoints past the backstop. Tests leave it off.
   */
  backgroundCheckpoint?: boolean;
  /** Told when a background checkpoint fails (the backstop keeps the WAL bounded meanwhile). */
  onCheckpointError?: (message: string) => void;
}

export function openStore(url: string, options: StoreOptions = {}): Store {
  const path = databasePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const isNew = path === ':memory:' || !existsSync(path) || statSync(path).size === 0;
  const sqlite = new Database(path, { readonly: options.readonly ?? false });
  if (isNew && !options.readonly) sqlite.pragma(`page_size = ${PAGE_SIZE}`);
  // WAL lets the API read while workers write; NORMAL sync in WAL survives a process crash
  // (kill -9) without fsync per commit; only an OS crash can lose the last commits.
  if (!options.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`cache_size = -${(options.pageCacheMiB ?? DEFAULT_PAGE_CACHE_MIB) * 1024}`); // KiB when negative
  sqlite.pragma('temp_store = MEMORY');
  const db = drizzle(sqlite, { schema });
  if (path === ':memory:') return { sqlite, db, syncLog: async () => {}, close: () => sqlite.close() };
  const wal = new WalSync(`${path}-wal`);
  const syncLog = () => wal.sync();
  if (!options.backgroundCheckpoint || options.readonly) {
    return {
      sqlite,
      db,
      syncLog,
      close: () => {
        sqlite.close();
        wal.close();
      },
    };
  }
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  const checkpointer = startCheckpointer(path, { onError: options.onCheckpointError });
  return {
    sqlite,
    db,
    syncLog,
    close: () => {
      sqlite.close();
      wal.close();
      checkpointer.stop();
    },
  };
}

/**
 * Runs `write` with its commits synced to the disk (synchronous=FULL for this call only), blocking the
 * thread for the flush: for a synchronous write whose effect must not outlive it in an OS crash (see
 * `Store.syncLog` for an acknowledgement that can wait asynchronously). Syncing the log at this commit
 * makes every earlier commit durable too; the connection's other commits keep NORMAL's cheaper guarantee.
 */
export function durably<T>(store: Store, write: () => T): T {
  store.sqlite.pragma('synchronous = FULL');
  try {
    return write();
  } finally {
    store.sqlite.pragma('synchronous = NORMAL');
  }
}

/** The generated SQL migrations shipped with this package (drizzle-kit output). */
export const MIGRATIONS_DIR = resolve(import.meta.dirname, '../drizzle');

export function applyMigrations(store: Store): void {
  migrate(store.db, { migrationsFolder: MIGRATIONS_DIR });
}

/** True when every shipped migration has been applied (the readiness check). */
export function migrationsApplied(store: Store): boolean {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  try {
    const row = store.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
    return row.n >= journal.entries.length;
  } catch {
    return false; // no migrations table yet
  }
}
