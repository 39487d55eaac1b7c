import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { uploads } from '@logsift/db';
import { inArray } from 'drizzle-orm';
import { jobId } from '../queue/definitions.js';
import { removePartialFiles } from './receive.js';
import type { UploadRow } from './repository.js';
import { type SubmitContext, startFlow } from './submit.js';

export interface Cleanup {
  /** Partial files of uploads that were being received when the process died. */
  partial: string[];
  /** Stored files that no upload row refers to (the process died between storing and recording). */
  orphans: string[];
}

/**
 * What a crash of the API can leave in the uploads directory, removed at its start (it is the only writer
 * there, and no request is in flight yet).
 */
export async function cleanUploadsDir(ctx: Pick<SubmitContext, 'store'>, dir: string): Promise<Cleanup> {
  const partial = await removePartialFiles(dir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.log'));
  const known = new Set(
    ctx.store.db
      .select({ path: uploads.storedPath })
      .from(uploads)
      .all()
      .map((r) => r.path),
  );
  const orphans = names.filter((n) => !known.has(join(dir, n)));
  await Promise.all(orphans.map((n) => rm(join(dir, n), { force: true })));
  return { partial, orphans };
}

/**
 * Uploads recorded as queued or processing whose flow is not in Redis (the API died between recording an
 * upload and enqueueing it, or Redis lost its last writes) get their flow again. Job ids are deterministic
 * and chunk writes idempotent, so this is safe to run at any time. Returns the ids resumed.
 */
export async function resumeLostFlows(ctx: SubmitContext): Promise<string[]> {
  const rows: UploadRow[] = ctx.store.db
    .select()
    .from(uploads)
    .where(inArray(uploads.status, ['queued', 'processing']))
    .all();
  const resumed: string[] = [];
  for (const row of rows) {
    const root = await ctx.queues.queues.report.getJob(
      jobId('report', { uploadId: row.id, attempt: row.attempt }),
    );
    if (root) continue;
    await startFlow(ctx, row, row.attempt);
    resumed.push(row.id);
  }
  return resumed;
}
