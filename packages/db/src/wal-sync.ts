import { type FileHandle, open } from 'node:fs/promises';

/**
 * Flushes one store's write-ahead log on demand, from libuv's thread pool, with a group commit: a caller
 * that arrives while a flush runs cannot count on it (its commit may have come after the flush began), so
 * it waits for the next one, which every caller arriving meanwhile shares; one flush runs at a time. The log stays open between
 * flushes: SQLite resets it in place and removes it only when the last connection closes, and this store's
 * own connection is open until `close`.
 *
 * A commit's frames are either still in the log, which this flushes, or already copied into the database
 * by a checkpoint, which syncs the database before it resets the log. So a log not there yet means there
 * is nothing to flush.
 */
export class WalSync {
  private handle: FileHandle | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly walPath: string) {}

  /** Resolves once every commit made before the call is on the disk. */
  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    this.queued = this.running
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    return this.queued;
  }

  /** Lets go of the log once the flushes asked for have run. */
  close(): void {
    this.closed = true;
    this.releaseIfIdle();
  }

  private start(): Promise<void> {
    const flush = this.flush().finally(() => {
      if (this.running === flush) this.running = undefined;
      this.releaseIfIdle();
    });
    this.running = flush;
    return flush;
  }

  private async flush(): Promise<void> {
    if (!this.handle) {
      try {
        this.handle = await open(this.walPath, 'r');
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ENOENT') return;
        throw err;
      }
    }
    await this.handle.sync();
  }

  private releaseIfIdle(): void {
    if (!this.closed || this.running || this.queued || !this.handle) return;
    const handle = this.handle;
    this.handle = undefined;
    void handle.close().catch(() => {});
  }
}
