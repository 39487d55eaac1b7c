import { open } from 'node:fs/promises';
import { type Store, uploads } from '@logsift/db';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import { listSavedFormats } from '../formats-store.js';
import { enqueueUploadFlow } from '../queue/flow.js';
import type { QueueSet } from '../queue/queues.js';
import { loadWatchlist } from '../watchlists-store.js';
import { splitIntoChunks } from './chunks.js';
import { checkRequestedFormat, chooseFormat } from './format-choice.js';
import type { UploadOptions } from './options.js';
import type { StoredFile } from './receive.js';
import { findUpload, insertUpload, resetForFlow, type UploadRow } from './repository.js';

/** Bytes read from the start of a stored file to detect its format. */
const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_LINES = 200;

export interface SubmitContext {
  store: Store;
  queues: QueueSet;
  config: Config;
}

export async function readSampleLines(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SAMPLE_BYTES, 0);
    const text = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const lines = text.split('\n');
    if (bytesRead === SAMPLE_BYTES && lines.length > 1) lines.pop(); // last line is cut
    return lines
      .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
      .filter((l) => l.trim() !== '')
      .slice(0, SAMPLE_LINES);
  } finally {
    await handle.close();
  }
}

/** Records a stored file as an upload, chooses its format and enqueues its flow. */
export async function submitUpload(
  ctx: SubmitContext,
  id: string,
  filename: string,
  stored: StoredFile,
  options: UploadOptions,
): Promise<UploadRow> {
  const saved = listSavedFormats(ctx.store);
  const choice = chooseFormat(options.format, await readSampleLines(stored.path), options, saved);
  const chunks = await splitIntoChunks(stored.path, stored.sizeBytes, ctx.config.chunkBytes);
  const row = insertUpload(
    ctx.store,
    {
      id,
      filename,
      storedPath: stored.path,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      compression: stored.compression,
      requestedFormat: choice.pattern ?? options.format ?? null,
      format: choice.name,
      formatConfidence: choice.confidence,
      service: options.service ?? null,
      options: options.stored,
    },
    chunks.length,
  );
  try {
    await enqueueUploadFlow(ctx.queues.flows, { uploadId: row.id, attempt: 1 }, chunks);
  } catch (err) {
    // No flow, no upload: a row left queued would answer later uploads of the same file as duplicates
    // that never finish. The caller removes the stored file.
    ctx.store.db.delete(uploads).where(eq(uploads.id, id)).run();
    throw err;
  }
  // The row is what brings a lost flow back (resumeLostFlows), so it reaches the disk before the upload
  // is acknowledged, as the stored file did.
  await ctx.store.syncLog();
  return findUpload(ctx.store, id) ?? row;
}

/** Splits the stored file and adds the upload's flow for `attempt` (job ids carry it, so re-adding is a no-op). */
export async function startFlow(ctx: SubmitContext, row: UploadRow, attempt: number): Promise<void> {
  const chunks = await splitIntoChunks(row.storedPath, row.sizeBytes, ctx.config.chunkBytes);
  resetForFlow(ctx.store, row.id, attempt, chunks.length);
  await enqueueUploadFlow(ctx.queues.flows, { uploadId: row.id, attempt }, chunks);
}

/**
 * Checks an upload request's options against what is stored (the format exists, the saved watchlist
 * exists) before any upload is recorded or deduplicated; a saved watchlist's terms are copied into the
 * options, so the upload's jobs need no lookup.
 */
export function prepareUploadOptions(ctx: SubmitContext, options: UploadOptions): UploadOptions {
  checkRequestedFormat(options.format, listSavedFormats(ctx.store));
  if (!options.watchlistId) return options;
  const { terms, falsePositiveRate } = loadWatchlist(ctx.store, options.watchlistId);
  return { ...options, stored: { ...options.stored, watchlist: { terms, falsePositiveRate } } };
}
