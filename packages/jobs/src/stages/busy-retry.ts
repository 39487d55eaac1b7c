import { isDatabaseBusy } from '@logsift/db';
import { DelayedError, type Job } from 'bullmq';

/** Wait before a job that found the database busy runs again, in ms (plus up to as much again, at random). */
export const BUSY_RETRY_MS = 1_000;
/** Starts after which a job that keeps finding the database busy fails like any other error. */
export const BUSY_MAX_STARTS = 60;

/**
 * Runs a job's handler; when SQLite stays locked past its busy timeout (another writer's long transaction),
 * the job is put back, delayed, without spending one of its attempts or showing as failed: a busy database
 * is contention, not a fault of the job. Writes are per-chunk transactions, so nothing half-done remains.
 */
export async function runUnlessBusy<T>(
  job: Job,
  token: string | undefined,
  handler: () => Promise<T>,
): Promise<T> {
  try {
    return await handler();
  } catch (err) {
    if (!isDatabaseBusy(err) || job.attemptsStarted >= BUSY_MAX_STARTS) throw err;
    await job.moveToDelayed(Date.now() + BUSY_RETRY_MS * (1 + Math.random()), token);
    throw new DelayedError();
  }
}
