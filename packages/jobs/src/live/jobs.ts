import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * The live queues' jobs. An ingest job carries only the spool's id and a spooled batch's id (never the
 * events: they are in SQLite already); its job id is derived from both, so enqueueing a batch twice is a
 * no-op, and a batch of a new spool never takes the name of an old one's job still kept in Redis.
 */
export const ingestJobData = z.object({ spool: z.string().min(1), batchId: z.number().int().min(1) });
export type IngestJobData = z.infer<typeof ingestJobData>;

export function ingestJobId(spoolId: string, batchId: number): string {
  return `batch-${spoolId}-${batchId}`;
}

export const INGEST_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
  // Hundreds of batches a second: keep a short history for Bull Board, and failures for inspection.
  removeOnComplete: { count: 1_000 },
  removeOnFail: { count: 10_000 },
};

/** The retention job, run by a job scheduler. */
export const RETENTION_SCHEDULER_ID = 'retention';
/** How often retention runs, ms (hourly). */
export const RETENTION_EVERY_MS = 3600 * 1000;
export const RETENTION_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 100 },
};
