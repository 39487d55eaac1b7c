import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LiveQueue } from '../config.js';
import { createRedis } from '../queue/connection.js';
import type { StageContext } from '../stages/context.js';
import { enqueueBatches } from './ingest.js';
import { ingestJobData, RETENTION_EVERY_MS, RETENTION_JOB_OPTIONS, RETENTION_SCHEDULER_ID } from './jobs.js';
import { runRetention } from './retention.js';
import { Spool, spoolPath } from './spool.js';
import { storeBatch } from './store-batch.js';
import { LiveTemplater } from './templating.js';

/**
 * Ingest jobs take milliseconds; a short lock means a killed worker's job is picked up again within
 * seconds (lock expiry plus one stalled check) instead of the default half minute.
 */
const INGEST_LOCK_MS = 5_000;
const INGEST_STALLED_CHECK_MS = 2_500;
/** A job may stall this often (worker killed mid-job) before it fails; storing is idempotent. */
const INGEST_MAX_STALLED = 5;
/** How often the sweep looks for spooled batches without a job, and how old they must be, ms. */
const SWEEP_EVERY_MS = 2_000;
const SWEEP_MIN_AGE_MS = 2_000;
/** Batches enqueued per sweep. */
const SWEEP_LIMIT = 20_000;
/** How often the spool's write-ahead log is checkpointed (so the API's commits never have to), ms. */
const CHECKPOINT_EVERY_MS = 1_000;

export interface LiveWorkers {
  workers: Worker[];
  /** Enqueues spooled batches older than SWEEP_MIN_AGE_MS (also run every SWEEP_EVERY_MS). */
  sweep(): Promise<number>;
  /** Accepted live events not stored yet (the spool's backlog). */
  pendingEvents(): number;
  close(graceMs: number): Promise<void>;
}

/**
 * Workers of the live queues: `ingest` stores spooled batches (one at a time per process: SQLite has one
 * writer, and the work outside the transaction is small), `retention` runs the retention job, which a
 * job scheduler adds every RETENTION_EVERY_MS. The ingest side also sweeps the spool for batches whose
 * job was lost (Redis restarted without it), at start and periodically.
 */
export function startLiveWorkers(
  queues: readonly LiveQueue[],
  ctx: StageContext,
  options: { redisUrl: string; prefix: string },
): LiveWorkers {
  const connections: Redis[] = [];
  const connect = (queue: string) => {
    const c = createRedis(options.redisUrl, 'worker');
    c.on('error', (err) => ctx.logger.warn({ err: err.message, queue }, 'redis connection error'));
    connections.push(c);
    return c;
  };
  const workers: Worker[] = [];
  const producers: Queue[] = [];
  let ingestQueue: Queue | undefined;
  const spool = new Spool(spoolPath(ctx.config));

  if (queues.includes('ingest')) {
    const templater = new LiveTemplater(ctx.store);
    const worker = new Worker(
      'ingest',
      async (job) => {
        const parsed = ingestJobData.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid ingest job data: ${parsed.error.message}`);
        // A job of another spool names a batch this spool never had: an earlier data directory left it in
        // this Redis, or two installations share one QUEUE_PREFIX. Fail it, visibly, rather than guess.
        if (parsed.data.spool !== spool.id) {
          throw new UnrecoverableError(
            `ingest job of spool ${parsed.data.spool}, but this worker's spool (${spoolPath(ctx.config)}) is ${spool.id}: ` +
              'give each installation its own QUEUE_PREFIX',
          );
        }
        return storeBatch({ store: ctx.store, spool, config: ctx.config, templater }, parsed.data.batchId);
      },
      {
        connection: connect('ingest'),
        prefix: options.prefix,
        concurrency: 1,
        lockDuration: INGEST_LOCK_MS,
        stalledInterval: INGEST_STALLED_CHECK_MS,
        maxStalledCount: INGEST_MAX_STALLED,
        metrics: { maxDataPoints: 60 * 24 },
      },
    );
    workers.push(worker);
    ingestQueue = new Queue('ingest', { connection: connect('ingest-sweep'), prefix: options.prefix });
    producers.push(ingestQueue);
  }
  if (queues.includes('retention')) {
    const worker = new Worker('retention', async () => runRetention(ctx.store, spool, ctx.config), {
      connection: connect('retention'),
      prefix: options.prefix,
      concurrency: 1,
      lockDuration: 5 * 60_000,
    });
    workers.push(worker);
    const queue = new Queue('retention', {
      connection: connect('retention-scheduler'),
      prefix: options.prefix,
    });
    producers.push(queue);
    queue
      .upsertJobScheduler(
        RETENTION_SCHEDULER_ID,
        { every: RETENTION_EVERY_MS },
        { name: 'retention', data: {}, opts: RETENTION_JOB_OPTIONS },
      )
      .catch((err: Error) => ctx.logger.error({ err: err.message }, 'could not schedule retention'));
  }
  for (const w of workers) {
    w.on('error', (err) => ctx.logger.warn({ err: err.message, queue: w.name }, 'worker error'));
    w.on('failed', (job, err) =>
      ctx.logger.warn(
        { queue: w.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message },
        'job failed',
      ),
    );
  }
  for (const q of producers)
    q.on('error', (err) => ctx.logger.warn({ err: err.message, queue: q.name }, 'queue error'));

  const sweep = async (): Promise<number> => {
    if (!ingestQueue) return 0;
    const ids = spool.pendingBatchIds(Date.now() - SWEEP_MIN_AGE_MS, SWEEP_LIMIT);
    await enqueueBatches(ingestQueue, spool.id, ids);
    return ids.length;
  };
  const runSweep = () =>
    sweep().catch((err: Error) => ctx.logger.warn({ err: err.message }, 'spool sweep failed (retried)'));
  const timer = ingestQueue ? setInterval(runSweep, SWEEP_EVERY_MS) : undefined;
  if (ingestQueue) void runSweep();
  const checkpoints = setInterval(() => {
    try {
      spool.checkpoint();
    } catch (err) {
      ctx.logger.warn({ err: (err as Error).message }, 'spool checkpoint failed (retried)');
    }
  }, CHECKPOINT_EVERY_MS);

  return {
    workers,
    sweep,
    pendingEvents: () => spool.pendingEvents(),
    async close(graceMs) {
      if (timer) clearInterval(timer);
      clearInterval(checkpoints);
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
      ]);
      if (timedOut) await Promise.allSettled(workers.map((w) => w.close(true)));
      await Promise.allSettled(producers.map((q) => q.close()));
      for (const c of connections) c.disconnect();
      spool.close();
    },
  };
}
