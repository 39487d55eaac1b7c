import type { Job } from 'bullmq';
import type { Stage } from '../config.js';
import { jobDuration, jobFailures } from './registry.js';

/** Seconds the job ran: BullMQ's processedOn (taken) to finishedOn, or to now when not finished. */
function runSeconds(job: Job, now: number): number | undefined {
  if (job.processedOn == null) return undefined;
  return Math.max(0, (job.finishedOn ?? now) - job.processedOn) / 1000;
}

export function recordJobCompleted(stage: Stage, job: Job, now = Date.now()): void {
  const seconds = runSeconds(job, now);
  if (seconds !== undefined) jobDuration.observe({ stage, status: 'completed' }, seconds);
}

export function recordJobFailed(stage: Stage, job: Job, final: boolean, now = Date.now()): void {
  jobFailures.inc({ stage, final: String(final) });
  const seconds = runSeconds(job, now);
  if (seconds !== undefined) jobDuration.observe({ stage, status: 'failed' }, seconds);
}
