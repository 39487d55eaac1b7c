import type { Worker } from 'bullmq';
import type { Logger } from 'pino';

/**
 * Live events before files. Parse jobs are batch work that can wait; live events are what people watch
 * now, and while they wait to be stored the API's back-pressure limit comes closer. So a worker process
 * that serves both stops taking new parse jobs while the accepted-but-unstored live backlog is above
 * `high` events (jobs it is running finish), and takes them again once the backlog is down to `low`.
 * Uploads slow down under live load instead of live ingest being refused.
 */
export class BacklogGate {
  private paused = false;

  constructor(
    readonly high: number,
    readonly low: number,
  ) {}

  /** What to do after reading `pending`: 'pause' or 'resume' when the state changes, else undefined. */
  next(pending: number): 'pause' | 'resume' | undefined {
    if (!this.paused && pending >= this.high) {
      this.paused = true;
      return 'pause';
    }
    if (this.paused && pending <= this.low) {
      this.paused = false;
      return 'resume';
    }
    return undefined;
  }
}

/** How often the backlog is read, ms. */
const CHECK_EVERY_MS = 250;

/**
 * Pauses `workers` (this process only, running jobs continue) while `pendingEvents()` is at or above
 * `high`, resumes them at `high / 5`. Returns a stop function that also resumes them.
 */
export function preferLiveIngest(options: {
  pendingEvents: () => number;
  workers: readonly Worker[];
  high: number;
  logger: Logger;
}): () => void {
  const { workers, logger } = options;
  const gate = new BacklogGate(options.high, Math.floor(options.high / 5));
  const timer = setInterval(() => {
    let pending: number;
    try {
      pending = options.pendingEvents();
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'could not read the live backlog (retried)');
      return;
    }
    const step = gate.next(pending);
    if (step === 'pause') {
      logger.info({ pending, resumeAt: gate.low }, 'live backlog high: taking no new parse jobs');
      for (const w of workers) void w.pause(true);
    } else if (step === 'resume') {
      logger.info({ pending }, 'live backlog down: taking parse jobs again');
      for (const w of workers) w.resume();
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    for (const w of workers) if (w.isPaused()) w.resume();
  };
}
