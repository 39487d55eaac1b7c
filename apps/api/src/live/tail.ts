import type { Store } from '@logsift/db';
import { type LogFilters, type LogRow, matchesLog } from '@logsift/jobs';

/** How often the tail reads new entries while someone listens, ms. */
const POLL_MS = 250;
/** Entries read per query; the tail reads again at once while a query comes back full. */
const READ_ROWS = 2_000;
/** Most entries read per tick; beyond it the tail skips ahead and tells listeners how many they missed. */
const MAX_ROWS_PER_TICK = 20_000;

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
 * reads entries stored since the last read (by id: SQLite assigns ids in commit order, one writer at a
 * time) and hands each listener those matching its filters, so the cost is one query per tick whatever
 * the number of listeners.
 */
export class LogTail {
  private readonly listeners = new Set<TailListener>();
  private lastId = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store) {}

  /** Starts delivering entries stored after `afterId` (default: from now). Returns the unsubscribe. */
  listen(listener: TailListener, afterId?: number): () => void {
    if (this.listeners.size === 0) this.lastId = this.maxId();
    if (afterId !== undefined && afterId < this.lastId) this.catchUp(listener, afterId);
    this.listeners.add(listener);
    this.timer ??= setInterval(() => this.tick(), POLL_MS);
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

  private tick(): void {
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

  private deliver(listener: TailListener, row: LogRow): void {
    if (!matchesLog(listener.filters, row, listener.sources)) return;
    if (!listener.send(row)) this.drop(listener, true);
  }
}
