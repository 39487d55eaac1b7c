import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * The live queues' jobs. An ingest job carries only the id of a spooled batch (never the events: they
 * are in SQLite already); its id is derived from the batch, so enqueueing a batch twice is a no-op.
 */
export const ingestJobData = z.object({ batchId: z.number().int().min(1) });
export type IngestJobData = z.infer<typeof ingestJobData>;

export function ingestJobId(batchId: number): string {
  return `batch-${batchId}`;
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
