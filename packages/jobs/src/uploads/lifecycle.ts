import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { uploads } from '@logsift/db';
import { eq } from 'drizzle-orm';
import { AppError } from '../errors.js';
import { jobId } from '../queue/definitions.js';
import { dedupSpillDir } from '../stages/dedup-spill.js';
import { findUpload, type UploadRow } from './repository.js';
import { type SubmitContext, startFlow } from './submit.js';

/** Stored columns deleted per statement when removing an upload, so other writers are not blocked long. */
const DELETE_BATCH = 500;

export function reportDir(dataDir: string, uploadId: string): string {
  return join(dataDir, 'reports', uploadId);
}

/** Runs a failed upload's flow again from the start, as a new attempt (writes are idempotent per chunk). */
export async function retryUpload(ctx: SubmitContext, row: UploadRow): Promise<UploadRow> {
  if (row.status !== 'failed') {
    throw new AppError('conflict', `upload ${row.id} is ${row.status}; only a failed upload can be retried`);
  }
  await startFlow(ctx, row, row.attempt + 1);
  return findUpload(ctx.store, row.id) ?? row;
}

/** Removes an upload's jobs, stored records, report and files. Refused while its flow is running. */
export async function deleteUpload(ctx: SubmitContext, row: UploadRow): Promise<void> {
  if (row.status === 'processing' || row.status === 'queued') {
    const root = await ctx.queues.queues.report.getJob(
      jobId('report', { uploadId: row.id, attempt: row.attempt }),
    );
    const state = root ? await root.getState() : 'unknown';
    if (state !== 'unknown' && state !== 'completed' && state !== 'failed') {
      throw new AppError(
        'conflict',
        `upload ${row.id} is ${row.status}; delete it once it has completed or failed`,
      );
    }
  }
  for (let attempt = 1; attempt <= row.attempt; attempt++) {
    await ctx.queues.queues.report
      .remove(jobId('report', { uploadId: row.id, attempt }), { removeChildren: true })
      .catch(() => 0); // already gone
  }
  const del = ctx.store.sqlite.prepare(
    `DELETE FROM entry_segments WHERE rowid IN
       (SELECT rowid FROM entry_segments WHERE upload_id = ? LIMIT ${DELETE_BATCH})`,
  );
  while (del.run(row.id).changes > 0) {
    // batches keep each write transaction short
  }
  ctx.store.db.delete(uploads).where(eq(uploads.id, row.id)).run();
  await Promise.all([
    rm(row.storedPath, { force: true }),
    rm(reportDir(ctx.config.dataDir, row.id), { recursive: true, force: true }),
    rm(dedupSpillDir(ctx.config.dataDir, row.id), { recursive: true, force: true }),
  ]);
}
