import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Stage } from '../config.js';
import { recordJobCompleted, recordJobFailed } from '../metrics/job-metrics.js';
import { createRedis } from '../queue/connection.js';
import { STAGE_ATTEMPTS } from '../queue/definitions.js';
import { runUnlessBusy } from './busy-retry.js';
import type { StageContext } from './context.js';
import { isFinalFailure, recordStageFailure, runStageJob } from './run.js';

/**
 * Times a job may lose its worker (killed, out of memory) and still be retried; BullMQ's default is 1, so a
 * second crash or a rolling restart would fail the upload. A job that kills its worker this often is
 * failed for good rather than retried forever.
 */
const MAX_STALLED_COUNT = STAGE_ATTEMPTS;

export interface StageWorkers {
  workers: Worker[];
  /** The workers' Redis connections (one per stage), for readiness checks. */
  connections: Redis[];
  /** Stops taking jobs, waits up to `graceMs` for running ones, then abandons them (they are retried). */
  close(graceMs: number): Promise<void>;
}

export function startStageWorkers(
  stages: readonly Stage[],
  ctx: StageContext,
  options: { redisUrl: string; prefix: string; concurrency: number },
): StageWorkers {
  const connections: Redis[] = [];
  const workers = stages.map((stage) => {
    const connection = createRedis(options.redisUrl, 'worker');
    connection.on('error', (err) => ctx.logger.warn({ err: err.message, stage }, 'redis connection error'));
    connections.push(connection);
    const processor = (job: Job, token?: string) =>
      runUnlessBusy(job, token, () => runStageJob(stage, job, ctx));
    const worker = new Worker(stage, processor, {
      connection,
      prefix: options.prefix,
      // parse is where the parallelism is; the single-job stages need little.
      concurrency: stage === 'parse' ? options.concurrency : Math.max(1, Math.ceil(options.concurrency / 2)),
      // Parse jobs block the event loop for short bursts (one SQLite transaction per chunk), far below this.
      lockDuration: ctx.config.jobLockMs,
      stalledInterval: ctx.config.stalledIntervalMs,
      maxStalledCount: MAX_STALLED_COUNT,
      metrics: { maxDataPoints: 60 * 24 },
    });
    worker.on('error', (err) => ctx.logger.warn({ err: err.message, stage }, 'worker error'));
    worker.on('failed', (job, err) => {
      if (!job) return;
      recordJobFailed(stage, job, isFinalFailure(job, err));
      ctx.logger.warn({ stage, jobId: job.id, attempt: job.attemptsMade, err: err.message }, 'job failed');
      try {
        recordStageFailure(stage, job, err, ctx);
      } catch (recordErr) {
        ctx.logger.error({ err: (recordErr as Error).message }, 'could not record job failure');
      }
    });
    worker.on('completed', (job) => {
      recordJobCompleted(stage, job);
      ctx.logger.debug({ stage, jobId: job.id }, 'job completed');
    });
    return worker;
  });
  return {
    workers,
    connections,
    async close(graceMs) {
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
      ]);
      if (timedOut) {
        ctx.logger.warn(
          { graceMs },
          'running jobs did not finish in time; closing anyway (they will be retried)',
        );
        await Promise.allSettled(workers.map((w) => w.close(true)));
      }
      for (const c of connections) c.disconnect();
    },
  };
}
