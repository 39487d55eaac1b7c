import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { entryIdRange, uploads } from '@logsift/db';
import { eq, inArray } from 'drizzle-orm';
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

/** Rows removed per statement when an upload's old rows are dropped, so each write stays short. */
const LEGACY_DELETE_BATCH = 5_000;

/**
 * Uploads parsed before records were stored as chunk columns (migration 0003) kept a row per record in
 * `entries` and have no columns to query. Each one that finished is parsed again from its stored file
 * (a new attempt of its flow, as a retry is: the upload is queued again before anything old is removed)
 * and its old rows are removed. Returns the ids re-parsed.
 */
export async function reparseLegacyUploads(ctx: SubmitContext): Promise<string[]> {
  const { sqlite } = ctx.store;
  const ids = sqlite
    .prepare(
      `SELECT u.id FROM uploads u
       WHERE u.status IN ('completed', 'failed')
         AND EXISTS (SELECT 1 FROM chunk_results c WHERE c.upload_id = u.id AND c.level_mask IS NULL)`,
    )
    .pluck()
    .all() as string[];
  const drop = sqlite.prepare(
    `DELETE FROM entries WHERE rowid IN
       (SELECT id FROM entries WHERE id >= ? AND id < ? LIMIT ${LEGACY_DELETE_BATCH})`,
  );
  // Chunks the new attempt has not written yet; the ones it wrote have a skip index (level_mask).
  const dropChunks = sqlite.prepare('DELETE FROM chunk_results WHERE upload_id = ? AND level_mask IS NULL');
  const reparsed: string[] = [];
  for (const id of ids) {
    const row = ctx.store.db.select().from(uploads).where(eq(uploads.id, id)).get();
    if (!row || !existsSync(row.storedPath)) continue;
    await startFlow(ctx, row, row.attempt + 1);
    dropChunks.run(id);
    while (drop.run(...entryIdRange(row.entryBase, 0, row.sizeBytes + 1)).changes > 0) {
      // batches keep each write transaction short
    }
    reparsed.push(id);
  }
  return reparsed;
}
