import { entryId } from '@logsift/db';
import { UnrecoverableError } from 'bullmq';
import { DROP_FLAGS, FLAG, levelRank } from '../entry.js';
import { linesProcessed, writeLockSeconds } from '../metrics/registry.js';
import type { ParseJobData } from '../queue/definitions.js';
import { SegmentBuilder } from '../segments/columns.js';
import { SkipIndexBuilder } from '../segments/skip-index.js';
import { ChunkStats } from '../stats/chunk-stats.js';
import { Watchlist } from '../stats/watchlist.js';
import { type UploadParser, uploadParser } from '../uploads/parser.js';
import type { StageInput } from './context.js';
import { buildEntry } from './parse/build-entry.js';
import { ChunkCleaner, type CleanHandoff } from './parse/chunk-cleaner.js';
import { ChunkTemplates, type TemplateHandoff } from './parse/chunk-templates.js';
import { type ChunkReadStats, readChunkRecords } from './parse/read-records.js';
import { SlowestRequests, type SlowRequest } from './parse/slowest-requests.js';
import { writeChunk } from './parse/write-chunk.js';

/** Bytes a record takes in a typical log, to size a chunk's columns and key tables at first (they grow as needed). */
const TYPICAL_RECORD_BYTES = 128;

/** What a chunk leaves in chunk_results.summary for the later stages. */
export interface ChunkSummary extends CleanHandoff {
  invalidBytes: number;
  stats: ReturnType<ChunkStats['toJSON']>;
  templates: TemplateHandoff;
  /** Entries of this chunk whose message is on the upload's watchlist. */
  watchMatches: number;
  /** The slowest requests of each path (records with a latency), for anomaly samples. */
  slowest?: [string, SlowRequest[]][];
}

export async function parseChunk({
  data,
  upload,
  ctx,
  job,
}: StageInput<ParseJobData>): Promise<{ records: number }> {
  let parser: UploadParser;
  try {
    parser = uploadParser(upload);
  } catch (err) {
    throw new UnrecoverableError((err as Error).message);
  }
  const { format, ctx: parseCtx, multilineFormat, options } = parser;
  const expectedRecords = Math.ceil((data.end - data.start) / TYPICAL_RECORD_BYTES);
  const cleaner = new ChunkCleaner(options.clean, expectedRecords);
  const templates = new ChunkTemplates();
  const watchlist = options.watchlist
    ? Watchlist.of(options.watchlist.terms, options.watchlist.falsePositiveRate)
    : null;
  const matches: [number, string][] = [];
  // Each chunk samples with its own seed: partials sharing a seed would make the merged sample non-uniform.
  const stats = new ChunkStats({ seed: upload.seq * 100_003 + data.chunk + 1 });
  const slowest = new SlowestRequests();
  const readStats: ChunkReadStats = { lines: 0, skippedLeading: 0 };
  const columns = new SegmentBuilder(data.start, expectedRecords);
  const skip = new SkipIndexBuilder();
  let parsed = 0;
  let invalidBytes = 0;
  let lastOffset = data.start;
  const now = Date.now();

  for await (const batch of readChunkRecords(
    upload.storedPath,
    data.start,
    data.end,
    { ...(multilineFormat ? { format: multilineFormat } : {}), ctx: parseCtx },
    readStats,
  )) {
    for (const record of batch) {
      const entry = buildEntry(record, format, parseCtx, now, true);
      const f = entry.fields;
      const flags = cleaner.classify(f, entry.raw, entry.flags, record.offset, record.key);
      const unparsed = (flags & FLAG.unparsed) !== 0;
      if (!unparsed) parsed++;
      invalidBytes += record.invalidBytes;
      const kept = !(flags & DROP_FLAGS);
      if (kept && !unparsed) {
        stats.add(f);
        if (f.latencyMs !== undefined && f.path !== undefined) slowest.add(f.path, f.latencyMs, f.message);
      }
      if (kept && watchlist) {
        const match = watchlist.match(f.message);
        if (match) matches.push([entryId(upload.entryBase, record.offset), match.item]);
      }
      const signature = kept ? templates.add(f.message, f.ts) : -1;
      const level = f.level ? levelRank(f.level) : undefined;
      columns.add(
        record.offset,
        record.byteLength,
        record.firstLine,
        f.ts,
        level,
        f.status,
        flags,
        signature,
        f.service,
      );
      skip.add(f.ts, level, f.status, flags, f.message);
      lastOffset = record.offset;
    }
    await job.updateProgress(
      Math.min(99, Math.round(((lastOffset - data.start) / Math.max(1, data.end - data.start)) * 100)),
    );
  }

  const records = columns.size;
  const summary: ChunkSummary = {
    ...cleaner.handoff(),
    invalidBytes,
    stats: stats.toJSON(),
    templates: templates.handoff(),
    watchMatches: matches.length,
    slowest: slowest.toJSON(),
  };
  const lock = writeChunk(
    ctx.store,
    upload,
    data,
    columns.finish(templates.signatureKeys),
    {
      uploadId: upload.id,
      chunk: data.chunk,
      startByte: data.start,
      endByte: data.end,
      lines: readStats.lines,
      records,
      parsed,
      unparsed: records - parsed,
      summary: JSON.stringify(summary),
      dedup: cleaner.dedupPairs(),
    },
    skip.finish(),
    matches,
  );
  writeLockSeconds.inc({ phase: 'wait' }, lock.waitedMs / 1000);
  writeLockSeconds.inc({ phase: 'held' }, lock.heldMs / 1000);
  linesProcessed.inc(readStats.lines);
  return { records };
}
