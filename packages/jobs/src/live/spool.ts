import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { databasePath, openStore, type Sqlite, type Store } from '@logsift/db';
import type { Config } from '../config.js';
import type { LiveEvent } from './event-schema.js';

/**
 * The spool: accepted events written to disk before the sender is acknowledged, one row per accepted
 * request (or TCP batch), in a SQLite file of its own (DATA_DIR/spool.db) next to the main database.
 *
 * Why a file of its own: SQLite has one writer per file. In the main database the workers' transactions
 * (hundreds of entries with their indexes) would make the API wait for the write lock before every
 * acknowledgement, tens of milliseconds at the tail. Here the API is the only heavy writer; workers only
 * clear a stored batch's events (a one-row update) and checkpoint the log.
 *
 * Durability: WAL with synchronous=NORMAL, and a request is acknowledged only after `syncLog` has flushed
 * the log holding its commit (off the event loop), so an acknowledged batch survives an operating-system
 * crash or power loss, not only `kill -9`. Losing a worker's clearing update only stores a batch again,
 * which live_stored makes a no-op; the worker syncs its stored entries before it clears (store-batch.ts). Redis holds only the job that points at a batch; if Redis loses it, the workers' sweep
 * enqueues the batch again.
 *
 * A stored batch keeps its row, without its events, as the ledger the dedup check reads (dedup.ts) until
 * the dedup window has passed; retention removes it then.
 */

/** Most events one spool row holds: bounds the worker's transaction (and its hold on the write lock). */
export const SPOOL_BATCH_EVENTS = 1000;
/**
 * Entries of live events get `offset = batchId * OFFSET_STRIDE + position`, unique per event: where an
 * event came from. That a batch is stored once is kept by `live_stored` (store-batch.ts).
 */
export const OFFSET_STRIDE = 1 << 20;
/** Pages the spool's log may grow to before a commit checkpoints it; workers checkpoint it long before. */
const AUTOCHECKPOINT_PAGES = 16_384;

export type Transport = 'http' | 'tcp';

const SCHEMA_VERSION = 2;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS live_batches (
  -- AUTOINCREMENT: ids are never reused, because entries derive their unique offset from them.
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- The value the request's dedup keys hold in Redis (one request may span several rows).
  claim TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  caller TEXT NOT NULL,
  transport TEXT NOT NULL,
  count INTEGER NOT NULL,
  -- The validated events as JSON; NULL once stored.
  events TEXT,
  stored_at INTEGER
);
CREATE INDEX IF NOT EXISTS live_batches_claim ON live_batches (claim);
CREATE INDEX IF NOT EXISTS live_batches_pending ON live_batches (id, count) WHERE events IS NOT NULL;
CREATE INDEX IF NOT EXISTS live_batches_received ON live_batches (received_at);
-- 'id': this spool's identity, random, set once. Batch ids restart at 1 in a new spool file, so ingest job
-- ids carry it: a Redis that outlived an earlier data directory still holds jobs named after its batches.
CREATE TABLE IF NOT EXISTS spool_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
PRAGMA user_version = ${SCHEMA_VERSION};
`;

/** DATA_DIR/spool.db, or an in-memory spool when the main database is in memory. */
export function spoolPath(config: Config): string {
  return databasePath(config.databaseUrl) === ':memory:' ? ':memory:' : resolve(config.dataDir, 'spool.db');
}

/** An event as spooled: a tuple, which is smaller and faster to write and read back than an object. */
type SpooledEvent = [
  ts: number,
  tz: string | null,
  level: number,
  service: string,
  message: string,
  eventId: string | null,
  host: string | null,
  fields: string | null,
];

export function encodeEvents(events: readonly LiveEvent[]): string {
  return JSON.stringify(
    events.map((e): SpooledEvent => [e.ts, e.tz, e.level, e.service, e.message, e.eventId, e.host, e.fields]),
  );
}

export function decodeEvents(json: string): LiveEvent[] {
  return (JSON.parse(json) as SpooledEvent[]).map(
    ([ts, tz, level, service, message, eventId, host, fields]) => ({
      ts,
      tz,
      level,
      service,
      message,
      eventId,
      host,
      fields,
    }),
  );
}

export interface SpoolWrite {
  claim: string;
  receivedAt: number;
  caller: string;
  transport: Transport;
  events: readonly LiveEvent[];
}

export interface SpooledBatch {
  id: number;
  receivedAt: number;
  count: number;
  /** Null once stored. */
  events: string | null;
}

interface Statement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export class Spool {
  private readonly store: Store;
  private readonly db: Sqlite;
  private readonly insert: Statement;
  private readonly pendingSum: Statement;
  private readonly pending: Statement;
  private readonly loadOne: Statement;
  private readonly clearEvents: Statement;
  /** This spool file's identity (see spool_meta). */
  readonly id: string;

  /** Opens (and creates) the spool file: WAL, the same busy timeout as the store. */
  constructor(path: string) {
    this.store = openStore(path === ':memory:' ? path : `file:${path}`);
    this.db = this.store.sqlite;
    this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    if (this.db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) this.db.exec(SCHEMA);
    this.insert = this.db.prepare(
      `INSERT INTO live_batches (claim, received_at, caller, transport, count, events) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.pendingSum = this.db.prepare(
      'SELECT COALESCE(SUM(count), 0) AS n FROM live_batches WHERE events IS NOT NULL',
    );
    // Prepared once: a store job loads and clears up to a dozen batches.
    this.pending = this.db.prepare(
      'SELECT id FROM live_batches WHERE events IS NOT NULL AND received_at < ? ORDER BY id LIMIT ?',
    );
    this.loadOne = this.db.prepare(
      'SELECT id, received_at AS receivedAt, count, events FROM live_batches WHERE id = ?',
    );
    this.clearEvents = this.db.prepare('UPDATE live_batches SET events = NULL, stored_at = ? WHERE id = ?');
    this.db
      .prepare("INSERT OR IGNORE INTO spool_meta (key, value) VALUES ('id', ?)")
      .run(randomBytes(6).toString('base64url'));
    this.id = (
      this.db.prepare("SELECT value FROM spool_meta WHERE key = 'id'").get() as { value: string }
    ).value;
  }

  /**
   * Writes a request's events in rows of at most SPOOL_BATCH_EVENTS, in one transaction; returns the new
   * batch ids. Once this returns the events survive the death of any process; once `syncLog` has resolved
   * after it, they survive a crash of the machine too, and the request may be acknowledged.
   */
  write(req: SpoolWrite): number[] {
    const ids: number[] = [];
    this.db
      .transaction(() => {
        for (let i = 0; i < req.events.length; i += SPOOL_BATCH_EVENTS) {
          const part = req.events.slice(i, i + SPOOL_BATCH_EVENTS);
          const info = this.insert.run(
            req.claim,
            req.receivedAt,
            req.caller,
            req.transport,
            part.length,
            encodeEvents(part),
          );
          ids.push(Number(info.lastInsertRowid));
        }
      })
      .immediate();
    return ids;
  }

  /** Which of these claims belong to a spooled batch (so their events are durable). */
  durableClaims(claims: readonly string[]): Set<string> {
    if (claims.length === 0) return new Set();
    const unique = [...new Set(claims)];
    const rows = this.db
      .prepare(`SELECT DISTINCT claim FROM live_batches WHERE claim IN (${unique.map(() => '?').join(',')})`)
      .all(...unique) as { claim: string }[];
    return new Set(rows.map((r) => r.claim));
  }

  /** Events accepted and not yet stored: what back-pressure is measured by. */
  pendingEvents(): number {
    return (this.pendingSum.get() as { n: number }).n;
  }

  /** Batches still holding their events, received before `before` (epoch ms), oldest first. */
  pendingBatchIds(before: number, limit: number): number[] {
    const rows = this.pending.all(before, limit) as { id: number }[];
    return rows.map((r) => r.id);
  }

  load(id: number): SpooledBatch | undefined {
    return this.loadOne.get(id) as SpooledBatch | undefined;
  }

  /** Drops a stored batch's events (its row stays as the dedup ledger). */
  markStored(id: number, at: number): void {
    this.clearEvents.run(at, id);
  }

  /** Removes up to `rows` ledger rows (stored batches) received before `before`; returns how many. */
  purgeLedger(before: number, rows: number): number {
    return this.db
      .prepare(
        `DELETE FROM live_batches WHERE id IN
           (SELECT id FROM live_batches WHERE events IS NULL AND received_at < ? LIMIT ?)`,
      )
      .run(before, rows).changes;
  }

  /** Moves the log into the database file without waiting for (or blocking) the writer. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** Resolves once every write so far is on the disk (see Store.syncLog); the event loop runs on meanwhile. */
  syncLog(): Promise<void> {
    return this.store.syncLog();
  }

  close(): void {
    this.store.close();
  }
}
