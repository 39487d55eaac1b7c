import type { Store } from '@logsift/db';

type Write = () => void;

/**
 * The job-state records (start, finish) of one store's running jobs, committed in groups: what the jobs of
 * one turn of the event loop record is written in one transaction at the end of that turn, so a commit is
 * shared by every job starting or finishing meanwhile, and an empty job's start and finish share one.
 *
 * A start is not waited for: it is progress, and a job whose start is lost still records its finish. A
 * finish is waited for, so a job completes in Redis only once its record is committed and the next stage
 * (maybe in another worker) reads it. A synchronous write that must come after the pending ones (a job's
 * failure) calls `flush` first.
 */
export class JobStateLog {
  private pending: Write[] = [];
  private waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  /** Adds a write to the next group. */
  record(write: Write): void {
    this.pending.push(write);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Adds a write to the next group; resolves once that group is committed, rejects if it failed. */
  commit(write: Write): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.record(write);
    });
  }

  /**
   * Commits the pending writes now. A group that fails (SQLITE_BUSY past the busy timeout) rejects the
   * finishes in it, whose jobs are then retried; a start lost that way is only progress.
   */
  flush(): void {
    const writes = this.pending;
    const waiting = this.waiting;
    this.pending = [];
    this.waiting = [];
    if (writes.length === 0) return;
    try {
      this.store.sqlite.transaction(() => {
        for (const write of writes) write();
      })();
    } catch (err) {
      for (const w of waiting) w.reject(err);
      return;
    }
    for (const w of waiting) w.resolve();
  }
}

const logs = new WeakMap<Store, JobStateLog>();

/** The store's job-state log (one per store, so every worker of a process shares its commits). */
export function jobStateLog(store: Store): JobStateLog {
  let log = logs.get(store);
  if (!log) {
    log = new JobStateLog(store);
    logs.set(store, log);
  }
  return log;
}
