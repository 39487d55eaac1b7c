import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reports, uploads } from '@logsift/db';
import { eq } from 'drizzle-orm';
import type { UploadJobData } from '../queue/definitions.js';
import { buildReport } from '../report/build.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { reportDir } from '../uploads/lifecycle.js';
import { listUploadJobs, markJobFinished } from '../uploads/repository.js';
import type { Analysis } from './analyze.js';
import type { CleanResult } from './clean.js';
import type { StageInput } from './context.js';
import { loadStageResult } from './results.js';

/** Renders the report (JSON, Markdown, HTML), keeps it in the database and on disk, completes the upload. */
export async function reportUpload({
  upload,
  ctx,
}: StageInput<UploadJobData>): Promise<{ reportDir: string }> {
  const clean = loadStageResult<CleanResult>(ctx.store, upload.id, 'clean');
  const analysis = loadStageResult<Analysis>(ctx.store, upload.id, 'analyze');
  const completedAt = Date.now();
  const report = buildReport({
    upload,
    clean,
    analysis,
    jobs: listUploadJobs(ctx.store, upload.id),
    completedAt,
  });
  const json = JSON.stringify(report, null, 2);
  const markdown = renderMarkdown(report);
  const html = renderHtml(report);
  const dir = reportDir(ctx.config.dataDir, upload.id);
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, 'report.json'), json),
    writeFile(join(dir, 'report.md'), markdown),
    writeFile(join(dir, 'report.html'), html),
  ]);
  ctx.store.sqlite.transaction(() => {
    ctx.store.db
      .insert(reports)
      .values({ uploadId: upload.id, createdAt: completedAt, json, markdown, html })
      .onConflictDoUpdate({ target: reports.uploadId, set: { createdAt: completedAt, json, markdown, html } })
      .run();
    ctx.store.db
      .update(uploads)
      .set({ status: 'completed', completedAt })
      .where(eq(uploads.id, upload.id))
      .run();
    // With the upload, not after it: no reader sees a completed upload whose report stage is still active.
    // (Its time is now, after the rendering; the report itself was dated before it, to include its timings.)
    markJobFinished(ctx.store, upload.id, 'report', 0);
    // The exact-duplicate keys were for the clean stage alone (16 bytes a record): once the upload is
    // complete they go, and a query reading a chunk's text filter, stored after them, no longer walks them.
    ctx.store.sqlite.prepare('UPDATE chunk_results SET dedup = NULL WHERE upload_id = ?').run(upload.id);
  })();
  return { reportDir: dir };
}
