import type { Store } from '@logsift/db';
import {
  type LogFilters,
  type LogRow,
  matchesLog,
  UploadRecords,
  type UploadSource,
  uploadLogRows,
} from '@logsift/jobs';

/** How often the tail reads new entries while someone listens, ms. */
const POLL_MS = 250;
/** Entries read per query; the tail reads again at once while a query comes back full. */
const READ_ROWS = 2_000;
/** Most entries read per tick; beyond it the tail skips ahead and tells listeners how many they missed. */
const MAX_ROWS_PER_TICK = 20_000;
/** Uploaded chunks looked at per tick. */
const READ_CHUNKS = 100;

export interface TailListener {
  filters: LogFilters;
  /** Sources to show (undefined: all). */
  sources: ReadonlySet<number> | undefined;
  /** Delivers a matching entry; returns false when the listener cannot keep up (it is then dropped). */
  send(row: LogRow): boolean;
  /** Tells the listener `count` entries went by unread (the tail fell too far behind). */
  skipped(count: number): void;
  /** Called when the listener is dropped (too slow, or the tail is closing). */
  close(): void;
}

/**
 * The live tail behind GET /api/logs/stream: one reader for every listener. While anyone listens it
 * reads live events stored since the last read (by id: SQLite assigns ids in commit order, one writer at
 * a time) and the records of uploaded chunks stored since (by their chunk_results row), and hands each
 * listener those matching its filters, so the cost is one read per tick whatever the number of listeners.
 */
export class LogTail {
  private readonly listeners = new Set<TailListener>();
  private lastId = 0;
  /** chunk_results rowid of the last uploaded chunk read. */
  private lastChunk = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(private readonly store: Store) {}

  /** Starts delivering entries stored after `afterId` (default: from now). Returns the unsubscribe. */
  listen(listener: TailListener, afterId?: number): () => void {
    if (this.listeners.size === 0) {
      this.lastId = this.maxId();
      this.lastChunk = this.maxChunk();
    }
    if (afterId !== undefined && afterId < this.lastId) this.catchUp(listener, afterId);
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.tick(), POLL_MS);
    return () => this.drop(listener, false);
  }

  close(): void {
    for (const l of [...this.listeners]) this.drop(l, true);
  }

  private drop(listener: TailListener, notify: boolean): void {
    if (!this.listeners.delete(listener)) return;
    if (notify) listener.close();
    if (this.listeners.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private maxId(): number {
    const row = this.store.sqlite.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM entries').get() as {
      id: number;
    };
    return row.id;
  }

  private maxChunk(): number {
    return (
      this.store.sqlite.prepare('SELECT COALESCE(MAX(rowid), 0) AS n FROM chunk_results').get() as {
        n: number;
      }
    ).n;
  }

  private read(afterId: number, limit: number): LogRow[] {
    return this.store.sqlite
      .prepare('SELECT * FROM entries WHERE id > ? ORDER BY id LIMIT ?')
      .all(afterId, limit) as LogRow[];
  }

  /** A resuming listener (Last-Event-ID) first gets what it missed, within the same per-tick bound. */
  private catchUp(listener: TailListener, afterId: number): void {
    const rows = this.read(afterId, Math.min(MAX_ROWS_PER_TICK, this.lastId - afterId));
    for (const row of rows) if (row.id <= this.lastId) this.deliver(listener, row);
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      this.tickLive();
      await this.tickUploads();
    } finally {
      this.ticking = false;
    }
  }

  private tickLive(): void {
    let read = 0;
    for (;;) {
      const rows = this.read(this.lastId, READ_ROWS);
      for (const row of rows) for (const l of [...this.listeners]) this.deliver(l, row);
      if (rows.length > 0) this.lastId = (rows.at(-1) as LogRow).id;
      read += rows.length;
      if (rows.length < READ_ROWS) return;
      if (read >= MAX_ROWS_PER_TICK) {
        const newest = this.maxId();
        const missed = newest - this.lastId;
        this.lastId = newest;
        for (const l of this.listeners) l.skipped(missed);
        return;
      }
    }
  }

  /** The records of chunks stored since the last tick, for listeners that want their upload. */
  private async tickUploads(): Promise<void> {
    const chunks = this.store.sqlite
      .prepare(
        `SELECT c.rowid AS n, c.chunk AS chunk, u.id AS id, u.seq AS seq, u.entry_base AS entryBase,
           u.stored_path AS storedPath, u.format AS format, u.requested_format AS requestedFormat,
           u.options AS options, u.created_at AS createdAt, u.format_confidence AS formatConfidence
         FROM chunk_results c JOIN uploads u ON u.id = c.upload_id WHERE c.rowid > ? ORDER BY c.rowid LIMIT ?`,
      )
      .all(this.lastChunk, READ_CHUNKS) as (UploadSource & { n: number; chunk: number })[];
    let budget = MAX_ROWS_PER_TICK;
    for (const c of chunks) {
      this.lastChunk = c.n;
      const wanted = [...this.listeners].filter((l) => !l.sources || l.sources.has(c.seq));
      if (wanted.length === 0) continue;
      const records = new UploadRecords(this.store.sqlite, c);
      const index = records.metas.findIndex((m) => m.chunk === c.chunk);
      if (index < 0) continue;
      const segment = records.segment(index);
      if (segment.rows > budget) {
        for (const l of wanted) l.skipped(segment.rows);
        continue;
      }
      budget -= segment.rows;
      const refs = Array.from({ length: segment.rows }, (_, row) => ({ segment, row }));
      const rows = uploadLogRows(
        this.store.sqlite,
        c.seq,
        (await records.rows(refs)).map((r) => r.row),
      );
      for (const row of rows) for (const l of wanted) if (this.listeners.has(l)) this.deliver(l, row);
    }
  }

  private deliver(listener: TailListener, row: LogRow): void {
    if (!matchesLog(listener.filters, row, listener.sources)) return;
    if (!listener.send(row)) this.drop(listener, true);
  }
}
