import { allocateEntryIds, type Store, uploadJobs, uploads } from '@logsift/db';
import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Stage } from '../config.js';
import { jobStateLog } from './job-states.js';
import type { StoredOptions } from './options.js';

export type UploadRow = typeof uploads.$inferSelect;
export type UploadJobRow = typeof uploadJobs.$inferSelect;

export interface NewUpload {
  id: string;
  filename: string;
  storedPath: string;
  sizeBytes: number;
  sha256: string;
  compression: 'gzip' | 'none';
  requestedFormat: string | null;
  format: string;
  formatConfidence: number;
  service: string | null;
  options: StoredOptions;
}

/**
 * Inserts the upload with the next free `seq` (SQLite serialises writers, so max+1 is safe) and, given its
 * chunk count, the job rows of its first flow attempt, all waiting: one commit for a new upload.
 */
export function insertUpload(store: Store, upload: NewUpload, chunkCount = 0): UploadRow {
  const q = uploadStatements(store);
  return store.sqlite.transaction(() => {
    const row = q.insertUpload.get({
      ...upload,
      entryBase: allocateEntryIds(store.sqlite, upload.sizeBytes + 1),
      options: JSON.stringify(upload.options),
      chunkCount,
      createdAt: Date.now(),
    }) as UploadRow;
    if (chunkCount > 0) insertJobRows(q, upload.id, chunkCount);
    return row;
  })();
}

/**
 * The queries every flow runs (insert the upload and its job rows; in each stage job, look up the upload,
 * mark the job started and finished), prepared once per store: building and preparing them per call cost
 * about 2 ms a job, which capped empty flows at a quarter of plain BullMQ's rate.
 */
function prepareStatements(store: Store) {
  const { db } = store;
  const p = sql.placeholder;
  const thisJob = and(
    eq(uploadJobs.uploadId, p('uploadId')),
    eq(uploadJobs.stage, p('stage')),
    eq(uploadJobs.part, p('part')),
  );
  const value = (name: string) => sql`${p(name)}`;
  return {
    insertUpload: db
      .insert(uploads)
      .values({
        id: value('id'),
        filename: value('filename'),
        storedPath: value('storedPath'),
        sizeBytes: value('sizeBytes'),
        sha256: value('sha256'),
        compression: value('compression'),
        requestedFormat: value('requestedFormat'),
        format: value('format'),
        formatConfidence: value('formatConfidence'),
        service: value('service'),
        options: value('options'),
        entryBase: value('entryBase'),
        chunkCount: value('chunkCount'),
        seq: sql`(SELECT coalesce(max(seq), 0) + 1 FROM uploads)`,
        createdAt: value('createdAt'),
        status: 'queued',
      })
      .returning()
      .prepare(),
    clearJobs: db
      .delete(uploadJobs)
      .where(eq(uploadJobs.uploadId, p('uploadId')))
      .prepare(),
    insertJob: db
      .insert(uploadJobs)
      .values({ uploadId: value('uploadId'), stage: value('stage'), part: value('part') })
      .prepare(),
    resetUpload: db
      .update(uploads)
      .set({
        attempt: sql`${p('attempt')}`,
        chunkCount: sql`${p('chunkCount')}`,
        status: 'queued',
        error: null,
        startedAt: null,
        completedAt: null,
      })
      .where(eq(uploads.id, p('uploadId')))
      .prepare(),
    findUpload: db
      .select()
      .from(uploads)
      .where(eq(uploads.id, p('id')))
      .prepare(),
    jobActive: db
      .update(uploadJobs)
      .set({ state: 'active', attempts: sql`${p('attempt')}`, startedAt: sql`${p('now')}`, error: null })
      .where(thisJob)
      .prepare(),
    uploadProcessing: db
      .update(uploads)
      .set({ status: 'processing', startedAt: sql`coalesce(${uploads.startedAt}, ${p('now')})` })
      .where(and(eq(uploads.id, p('uploadId')), eq(uploads.status, 'queued')))
      .prepare(),
    // A job already marked completed keeps its time (the report job completes with its upload, report.ts).
    jobCompleted: db
      .update(uploadJobs)
      .set({ state: 'completed', finishedAt: sql`${p('now')}` })
      .where(and(thisJob, ne(uploadJobs.state, 'completed')))
      .prepare(),
  };
}
const preparedByStore = new WeakMap<Store, ReturnType<typeof prepareStatements>>();

function uploadStatements(store: Store): ReturnType<typeof prepareStatements> {
  let prepared = preparedByStore.get(store);
  if (!prepared) {
    prepared = prepareStatements(store);
    preparedByStore.set(store, prepared);
  }
  return prepared;
}

export function findUpload(store: Store, id: string): UploadRow | undefined {
  return uploadStatements(store).findUpload.get({ id });
}

/**
 * The most recent upload of this content asked for with the same options, if any (dedup): the same bytes
 * with another format, service, time zone, cleaning or watchlist are another upload. A saved format is
 * recorded by its pattern, so asking for it by name again is taken as new (processed again, never wrong).
 */
export function findUploadBySha(
  store: Store,
  sha256: string,
  asked: { format?: string; service?: string; stored: StoredOptions },
): UploadRow | undefined {
  return store.db
    .select()
    .from(uploads)
    .where(
      and(
        eq(uploads.sha256, sha256),
        sql`${uploads.requestedFormat} IS ${asked.format ?? null}`,
        sql`${uploads.service} IS ${asked.service ?? null}`,
        eq(uploads.options, JSON.stringify(asked.stored)),
      ),
    )
    .orderBy(desc(uploads.id))
    .limit(1)
    .get();
}

/** Newest first; `cursor` is the last id of the previous page. */
export function listUploads(store: Store, limit: number, cursor?: string): UploadRow[] {
  return store.db
    .select()
    .from(uploads)
    .where(cursor ? lt(uploads.id, cursor) : undefined)
    .orderBy(desc(uploads.id))
    .limit(limit)
    .all();
}

/** The upload's job rows, with what this process's jobs recorded and did not commit yet. */
export function listUploadJobs(store: Store, uploadId: string): UploadJobRow[] {
  jobStateLog(store).flush();
  return store.db.select().from(uploadJobs).where(eq(uploadJobs.uploadId, uploadId)).all();
}

/** Creates the job rows of a fresh flow attempt (all waiting) and resets the upload's outcome. */
export function resetForFlow(store: Store, uploadId: string, attempt: number, chunkCount: number): void {
  const q = uploadStatements(store);
  store.sqlite.transaction(() => {
    q.clearJobs.run({ uploadId });
    insertJobRows(q, uploadId, chunkCount);
    q.resetUpload.run({ uploadId, attempt, chunkCount });
  })();
}

function insertJobRows(q: ReturnType<typeof prepareStatements>, uploadId: string, chunkCount: number): void {
  for (let part = 0; part < chunkCount; part++) q.insertJob.run({ uploadId, stage: 'parse', part });
  for (const stage of ['clean', 'analyze', 'report'] as const) q.insertJob.run({ uploadId, stage, part: 0 });
}

/**
 * A job of this upload started at `now`: the job row goes active and, if the upload was still `queued`
 * when the job read it, the upload becomes `processing`. Written through the job-state log (one
 * transaction for a group of jobs, job-states.ts).
 */
export function markJobStarted(
  store: Store,
  job: { uploadId: string; stage: Stage; part: number; attempt: number; now: number },
  uploadQueued: boolean,
): void {
  const q = uploadStatements(store);
  q.jobActive.run(job);
  if (uploadQueued) q.uploadProcessing.run({ uploadId: job.uploadId, now: job.now });
}

export function markJobFinished(store: Store, uploadId: string, stage: Stage, part: number): void {
  uploadStatements(store).jobCompleted.run({ uploadId, stage, part, now: Date.now() });
}

/**
 * A job failed. When `final` (no retries left, or input that can never succeed) the upload fails with
 * the first final reason; otherwise the job row shows the error while it waits for its retry.
 */
export function markJobFailed(
  store: Store,
  uploadId: string,
  stage: Stage,
  part: number,
  reason: string,
  final: boolean,
): void {
  const now = Date.now();
  store.sqlite.transaction(() => {
    store.db
      .update(uploadJobs)
      .set({ state: final ? 'failed' : 'retrying', error: reason, finishedAt: final ? now : null })
      .where(and(eq(uploadJobs.uploadId, uploadId), eq(uploadJobs.stage, stage), eq(uploadJobs.part, part)))
      .run();
    if (final) {
      store.db
        .update(uploads)
        .set({
          status: 'failed',
          error: `${stage}${stage === 'parse' ? ` chunk ${part}` : ''}: ${reason}`,
          completedAt: now,
        })
        .where(and(eq(uploads.id, uploadId), sql`${uploads.status} != 'failed'`))
        .run();
    }
  })();
}
