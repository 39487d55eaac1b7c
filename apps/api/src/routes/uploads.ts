import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MultipartFile } from '@fastify/multipart';
import {
  AppError,
  deleteUpload,
  displayFilename,
  findUpload,
  findUploadBySha,
  jobId,
  listUploadJobs,
  listUploads,
  newUploadId,
  parseUploadOptions,
  prepareUploadOptions,
  receiveFile,
  retryUpload,
  type StoredFile,
  submitUpload,
  type UploadRow,
  utf8Transcoder,
} from '@logsift/jobs';
import { Job } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InFlight } from './in-flight.js';
import { requireRedis } from './require-redis.js';
import { uploadView } from './upload-view.js';

const PAGE_MAX = 200;
/** Room for the form fields and multipart framing beside MAX_UPLOAD_BYTES of files, in a request's length. */
const FIELDS_ALLOWANCE_BYTES = 4 * 1024 * 1024;

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === '');

const uploadQuery = z.strictObject({ force: flag, wait: flag });
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(50),
  cursor: z.string().max(64).optional(),
});

export const idParams = z.object({ id: z.string().min(1).max(64).describe('upload id') });

/** Loads the upload named in the URL, or answers 404. */
export function loadUpload(app: { ctx: FastifyInstance['ctx'] }, request: FastifyRequest): UploadRow {
  const { id } = request.params as { id: string };
  const row = findUpload(app.ctx.store, id);
  if (!row) throw new AppError('upload_not_found', `upload ${id} does not exist`);
  return row;
}

/** The multipart parser's (busboy's) errors for a body that is not well-formed multipart. */
const MALFORMED_MULTIPART =
  /^(Multipart: Boundary not found|Boundary required|Unexpected end of (multipart data|form|file)|Malformed part header|\w+ terminated early due to unexpected end of multipart data)/;

function malformedMultipart(err: unknown): AppError | undefined {
  if (err instanceof AppError || !(err instanceof Error) || !MALFORMED_MULTIPART.test(err.message)) return;
  return new AppError('bad_request', `malformed multipart body: ${err.message}`, { cause: err });
}

interface Received {
  filename: string;
  id: string;
  stored: StoredFile;
}

export async function uploadRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, config } = app.ctx;
  const uploadsDir = join(config.dataDir, 'uploads');
  const view = (row: UploadRow, deduplicated = false) =>
    uploadView(row, listUploadJobs(store, row.id), { deduplicated });
  const inFlight = new InFlight(config.uploadsInFlightMax);
  const redisUp = requireRedis(app);

  app.post(
    '/api/uploads',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Upload one or more log files',
        description:
          'multipart/form-data: one or more files in the field `file`; optional fields `format` (a format name or a ' +
          'Loghub-style pattern), `service`, `tz` (IANA zone or offset for zone-less timestamps), `clean` (JSON ' +
          'rules: minLevel, dropServices, dropPatterns, dedupWindowSeconds) and `watchlist` (JSON ' +
          '{terms, falsePositiveRate} or one term per line). Answers 202, or 200 when every file was already ' +
          'uploaded (deduplicated) or `wait` saw the reports finish.',
        consumes: ['multipart/form-data'],
        querystring: uploadQuery,
      },
      // Before a byte of the body is read: refused while the file could not be queued anyway, and
      // counted against the caller's uploads in flight until the answer is sent or the connection drops.
      preHandler: async (request, reply) => {
        const claimed = Number(request.headers['content-length'] ?? 0);
        if (claimed > config.maxUploadBytes + FIELDS_ALLOWANCE_BYTES) {
          reply.header('connection', 'close'); // the body is never read
          throw new AppError(
            'payload_too_large',
            `the request is ${claimed} bytes; at most ${config.maxUploadBytes} bytes of files are taken at once`,
          );
        }
        await redisUp();
        reply.raw.once('close', inFlight.acquire(request.caller ?? request.ip));
      },
    },
    async (request, reply) => {
      const query = request.query;
      if (!request.isMultipart()) {
        throw new AppError(
          'unsupported_media_type',
          'send the file as multipart/form-data in a field named "file"',
        );
      }
      const received: Received[] = [];
      const fields: Record<string, string> = {};
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file') {
              part.file.resume();
              throw new AppError('bad_request', `unexpected file field "${part.fieldname}"; use "file"`);
            }
            const id = newUploadId();
            const stored = await receiveFile((part as MultipartFile).file, {
              dir: uploadsDir,
              id,
              transcoder: utf8Transcoder,
            });
            received.push({ filename: displayFilename(part.filename), id, stored });
          } else {
            fields[part.fieldname] = String(part.value);
          }
        }
        if (received.length === 0)
          throw new AppError('bad_request', 'no file: send it in a multipart field named "file"');
        // The body is in: from here the client only waits (up to UPLOAD_WAIT_MS with ?wait=true), which
        // the idle timeout meant for stalled senders must not cut.
        const socket = request.raw.socket as { setTimeout?: (ms: number) => void } | undefined;
        if (query.wait) socket?.setTimeout?.(config.uploadWaitMs + config.idleTimeoutMs); // (inject has none)
        const options = prepareUploadOptions(app.ctx, parseUploadOptions(fields));
        const results: { row: UploadRow; deduplicated: boolean }[] = [];
        for (const file of received) {
          const existing = query.force ? undefined : findUploadBySha(store, file.stored.sha256, options);
          if (existing) {
            await rm(file.stored.path, { force: true });
            results.push({ row: existing, deduplicated: true });
          } else {
            results.push({
              row: await submitUpload(app.ctx, file.id, file.filename, file.stored, options),
              deduplicated: false,
            });
          }
        }
        if (query.wait)
          await waitForReports(
            app,
            results.map((r) => r.row),
          );
        const rows = results.map((r) => ({ ...r, row: findUpload(store, r.row.id) ?? r.row }));
        const allDone = rows.every((r) => r.row.status === 'completed' || r.row.status === 'failed');
        const allDeduplicated = rows.every((r) => r.deduplicated);
        reply.status(allDeduplicated || (query.wait && allDone) ? 200 : 202);
        return {
          uploads: rows.map((r) => ({
            ...view(r.row, r.deduplicated),
            ...(query.wait && r.row.status === 'completed' ? { report: reportJson(app, r.row.id) } : {}),
          })),
        };
      } catch (err) {
        // Answered before the whole body was read: the connection cannot carry another request.
        if (!request.raw.complete) reply.header('connection', 'close');
        // Nothing half-accepted stays behind: files of this request that did not become uploads are removed.
        await Promise.all(
          received.filter((f) => !findUpload(store, f.id)).map((f) => rm(f.stored.path, { force: true })),
        );
        throw malformedMultipart(err) ?? err;
      }
    },
  );

  app.get(
    '/api/uploads',
    { schema: { tags: ['uploads'], summary: 'List uploads, newest first', querystring: listQuery } },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = listUploads(store, limit + 1, cursor);
      const page = rows.slice(0, limit);
      return {
        uploads: page.map((r) => view(r)),
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );

  app.get(
    '/api/uploads/:id',
    {
      schema: { tags: ['uploads'], summary: 'An upload: status, stages, counts, timings', params: idParams },
    },
    async (request) => view(loadUpload(app, request)),
  );

  app.delete(
    '/api/uploads/:id',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Delete an upload with its entries, report and file',
        params: idParams,
      },
      preHandler: redisUp, // its jobs are removed from Redis too
    },
    async (request, reply) => {
      await deleteUpload(app.ctx, loadUpload(app, request));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/uploads/:id/retry',
    {
      schema: { tags: ['uploads'], summary: 'Run a failed upload again', params: idParams },
      preHandler: redisUp,
    },
    async (request, reply) => {
      const row = await retryUpload(app.ctx, loadUpload(app, request));
      return reply.status(202).send(view(row));
    },
  );
}

function reportJson(app: { ctx: FastifyInstance['ctx'] }, uploadId: string): unknown {
  const row = app.ctx.store.sqlite.prepare('SELECT json FROM reports WHERE upload_id = ?').get(uploadId) as
    | { json: string }
    | undefined;
  return row ? JSON.parse(row.json) : null;
}

/** Holds until each upload's report job finishes or fails, bounded by UPLOAD_WAIT_MS overall. */
async function waitForReports(app: { ctx: FastifyInstance['ctx'] }, rows: UploadRow[]): Promise<void> {
  const { queues, config } = app.ctx;
  const events = queues.reportEvents();
  await events.waitUntilReady();
  const deadline = Date.now() + config.uploadWaitMs;
  for (const row of rows) {
    if (row.status === 'completed' || row.status === 'failed') continue;
    const job = await Job.fromId(
      queues.queues.report,
      jobId('report', { uploadId: row.id, attempt: row.attempt }),
    );
    if (!job) continue;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return;
    await job.waitUntilFinished(events, remaining).catch(() => undefined); // failure is in the upload's status
  }
}
