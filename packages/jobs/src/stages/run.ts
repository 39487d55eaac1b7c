import { type Job, UnrecoverableError } from 'bullmq';
import type { Stage } from '../config.js';
import { JOB_SCHEMAS, type ParseJobData, type UploadJobData } from '../queue/definitions.js';
import { jobStateLog } from '../uploads/job-states.js';
import { findUpload, markJobFailed, markJobFinished, markJobStarted } from '../uploads/repository.js';
import { analyzeUpload } from './analyze.js';
import { cleanUpload } from './clean.js';
import type { StageContext, StageInput } from './context.js';
import { parseChunk } from './parse.js';
import { reportUpload } from './report.js';

type Handler = (input: StageInput<never>) => Promise<unknown>;

/**
 * A handler whose job completes only once what it stored is on the disk (Store.syncLog): the job completes
 * in Redis when the handler resolves and the next stage builds on its results, so an OS crash must not
 * keep the completion and lose the results. Its commits stay synchronous=NORMAL; one flush a job.
 */
const storing =
  (handler: Handler): Handler =>
  async (input) => {
    const result = await handler(input);
    await (input as StageInput<unknown>).ctx.store.syncLog();
    return result;
  };

/** Every stage's handler, registered in one place. */
export const STAGE_HANDLERS: Record<Stage, Handler> = {
  parse: storing(parseChunk as Handler),
  clean: storing(cleanUpload as Handler),
  analyze: storing(analyzeUpload as Handler),
  report: storing(reportUpload as Handler),
};

const partOf = (data: UploadJobData) => ((data as ParseJobData).chunk ?? 0) as number;

/**
 * Runs one job of a stage: validates its data (bad data can never succeed: no retry), checks the upload
 * still exists, records the job's state around the handler (its finish committed before the job completes).
 */
export async function runStageJob(stage: Stage, job: Job, ctx: StageContext): Promise<unknown> {
  const parsed = JOB_SCHEMAS[stage].safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid ${stage} job data: ${parsed.error.message}`);
  const data = parsed.data;
  const upload = findUpload(ctx.store, data.uploadId);
  if (!upload) throw new UnrecoverableError(`upload ${data.uploadId} no longer exists`);
  if (upload.attempt !== data.attempt) {
    throw new UnrecoverableError(
      `upload ${data.uploadId} moved on to attempt ${upload.attempt}; this job is stale`,
    );
  }
  const states = jobStateLog(ctx.store);
  const part = partOf(data);
  const started = { uploadId: data.uploadId, stage, part, attempt: job.attemptsMade + 1, now: Date.now() };
  states.record(() => markJobStarted(ctx.store, started, upload.status === 'queued'));
  const result = await STAGE_HANDLERS[stage]({ job, data, upload, ctx } as StageInput<never>);
  await states.commit(() => markJobFinished(ctx.store, data.uploadId, stage, part));
  return result;
}

/** Whether a failed job will not run again: out of attempts, or failed with UnrecoverableError. */
export function isFinalFailure(job: Job, err: Error): boolean {
  return err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** Records a failure from the worker's `failed` event (the upload fails on a final failure). */
export function recordStageFailure(stage: Stage, job: Job, err: Error, ctx: StageContext): void {
  const data = job.data as UploadJobData;
  if (!data?.uploadId) return;
  const upload = findUpload(ctx.store, data.uploadId);
  if (!upload || upload.attempt !== data.attempt) return;
  jobStateLog(ctx.store).flush(); // the job's start, if still pending, must not land after its failure
  markJobFailed(ctx.store, data.uploadId, stage, partOf(data), err.message, isFinalFailure(job, err));
}
