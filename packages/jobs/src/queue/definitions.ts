import type { DefaultJobOptions } from 'bullmq';
import { z } from 'zod';
import type { Stage } from '../config.js';

/**
 * What each stage's job carries: references only (ids, byte ranges). File contents and entries
 * never travel through Redis; handlers read them from disk and SQLite.
 */
export const uploadJobData = z.object({
  uploadId: z.string().min(1),
  /** The upload's flow attempt (1, then +1 per retry); part of every job id. */
  attempt: z.number().int().min(1),
});
export type UploadJobData = z.infer<typeof uploadJobData>;

export const parseJobData = uploadJobData.extend({
  chunk: z.number().int().min(0),
  /** Byte range [start, end) of the stored file; both ends fall on line starts. */
  start: z.number().int().min(0),
  end: z.number().int().min(0),
});
export type ParseJobData = z.infer<typeof parseJobData>;

export const JOB_SCHEMAS: Record<Stage, z.ZodType<UploadJobData>> = {
  parse: parseJobData,
  clean: uploadJobData,
  analyze: uploadJobData,
  report: uploadJobData,
};

/** Retry budget: 5 attempts, exponential backoff from 1 s (1, 2, 4, 8 s). */
export const STAGE_ATTEMPTS = 5;

export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: STAGE_ATTEMPTS,
  backoff: { type: 'exponential', delay: 1_000 },
  // Completed jobs are history, kept briefly for Bull Board; failed jobs stay for inspection and retry.
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: false,
};

/** Deterministic job id: adding the same upload's flow twice is a no-op. BullMQ forbids ':' in ids. */
export function jobId(stage: Stage, data: UploadJobData, part = 0): string {
  return `${data.uploadId}-a${data.attempt}-${stage}-${part}`;
}
