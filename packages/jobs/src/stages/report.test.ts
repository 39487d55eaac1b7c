import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@logsift/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeJob, openStageTestBed, type StageTestBed } from '../test-support/stage.js';
import { testUpload } from '../test-support/upload.js';
import { splitIntoChunks } from '../uploads/chunks.js';
import { findUpload, insertUpload, listUploadJobs, resetForFlow } from '../uploads/repository.js';
import type { StageContext } from './context.js';
import { runStageJob } from './run.js';

let bed: StageTestBed;
let dir: string;
let store: Store;
let ctx: StageContext;

beforeEach(() => {
  bed = openStageTestBed('report');
  ({ dir, store, ctx } = bed);
});
afterEach(() => bed.close());

describe('report stage', () => {
  it('completes the upload and its report job together: no reader sees one without the other', async () => {
    const content = '2024-01-15T10:00:00.000Z INFO [api] one\n2024-01-15T10:00:01.000Z ERROR [api] two\n';
    const path = join(dir, 'file.log');
    writeFileSync(path, content);
    const row = insertUpload(store, testUpload({ storedPath: path, sizeBytes: content.length }));
    const chunks = await splitIntoChunks(path, row.sizeBytes, 2048);
    resetForFlow(store, row.id, 1, chunks.length);
    await runStageJob('parse', fakeJob({ uploadId: row.id, attempt: 1, chunk: 0, ...chunks[0] }), ctx);
    for (const stage of ['clean', 'analyze'] as const)
      await runStageJob(stage, fakeJob({ uploadId: row.id, attempt: 1 }), ctx);

    // What a reader (the API, another process) sees once the report job's results are on the disk and
    // before the job itself returns.
    const seen: { status?: string; report?: string; finishedAt?: number | null }[] = [];
    const watching: Store = {
      ...store,
      syncLog: async () => {
        const report = listUploadJobs(store, row.id).find((j) => j.stage === 'report');
        seen.push({
          status: findUpload(store, row.id)?.status,
          report: report?.state,
          finishedAt: report?.finishedAt,
        });
        await store.syncLog();
        await new Promise((resolve) => setTimeout(resolve, 5)); // the job's own finish comes later
      },
    };
    await runStageJob('report', fakeJob({ uploadId: row.id, attempt: 1 }), { ...ctx, store: watching });

    const completedAt = findUpload(store, row.id)?.completedAt ?? Number.NaN;
    expect(seen).toEqual([{ status: 'completed', report: 'completed', finishedAt: expect.any(Number) }]);
    const finishedAt = seen[0]?.finishedAt ?? Number.NaN;
    expect(finishedAt).toBeGreaterThanOrEqual(completedAt);
    // The job's own finish, committed at least 5 ms after, keeps the time it completed with its upload.
    const report = listUploadJobs(store, row.id).find((j) => j.stage === 'report');
    expect(report).toMatchObject({ state: 'completed', finishedAt });
  });
});
