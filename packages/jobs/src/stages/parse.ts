import { entryId } from '@logsift/db';
import { UnrecoverableError } from 'bullmq';
import { DROP_FLAGS, FLAG } from '../entry.js';
import type { ParseContext } from '../formats/types.js';
import { linesProcessed, writeLockSeconds } from '../metrics/registry.js';
import type { ParseJobData } from '../queue/definitions.js';
import { ChunkStats } from '../stats/chunk-stats.js';
import { Watchlist } from '../stats/watchlist.js';
import { resolveFormat } from '../uploads/format-choice.js';
import type { StoredOptions } from '../uploads/options.js';
import type { StageInput } from './context.js';
import { buildEntry } from './parse/build-entry.js';
import { ChunkCleaner, type CleanHandoff } from './parse/chunk-cleaner.js';
import { ChunkTemplates, type TemplateHandoff } from './parse/chunk-templates.js';
import { type ChunkReadStats, readChunkRecords } from './parse/read-records.js';
import { CHUNK_SLOT, ChunkWriter, type EntryValues, setEntryValues } from './parse/write-chunk.js';

/** Below this detection confidence, lines the format does not parse are not treated as continuations. */
const MULTILINE_MIN_CONFIDENCE = 0.8;

/** What a chunk leaves in chunk_results.summary for the later stages. */
export interface ChunkSummary extends CleanHandoff {
  invalidBytes: number;
  stats: ReturnType<ChunkStats['toJSON']>;
  templates: TemplateHandoff;
  /** Entries of this chunk whose message is on the upload's watchlist. */
  watchMatches: number;
}

export async function parseChunk({
  data,
  upload,
  ctx,
  job,
}: StageInput<ParseJobData>): Promise<{ records: number }> {
  const options = JSON.parse(upload.options) as StoredOptions;
  let format: ReturnType<typeof resolveFormat>;
  try {
    format = resolveFormat(upload.format ?? 'raw', upload.requestedFormat);
  } catch (err) {
    throw new UnrecoverableError((err as Error).message);
  }
  const parseCtx: ParseContext = {
    ...(options.tz ? { tz: options.tz } : {}),
    referenceTime: upload.createdAt,
  };
  const cleaner = new ChunkCleaner(options.clean);
  const templates = new ChunkTemplates();
  const watchlist = options.watchlist
    ? Watchlist.of(options.watchlist.terms, options.watchlist.falsePositiveRate)
    : null;
  const matches: [number, string][] = [];
  // Each chunk samples with its own seed: partials sharing a seed would make the merged sample non-uniform.
  const stats = new ChunkStats({ seed: upload.seq * 100_003 + data.chunk + 1 });
  const readStats: ChunkReadStats = { lines: 0, skippedLeading: 0 };
  let records = 0;
  let parsed = 0;
  let invalidBytes = 0;
  let lastOffset = data.start;
  const now = Date.now();
  const multilineFormat = (upload.formatConfidence ?? 0) >= MULTILINE_MIN_CONFIDENCE ? format : undefined;
  // One array for every row: its values are bound into the staging table as soon as it is filled.
  const row = new Array(20).fill(null) as EntryValues;
  row[CHUNK_SLOT] = data.chunk;

  const writer = ChunkWriter.open(ctx.store);
  try {
    for await (const batch of readChunkRecords(
      upload.storedPath,
      data.start,
      data.end,
      { ...(multilineFormat ? { format: multilineFormat } : {}), ctx: parseCtx },
      readStats,
    )) {
      writer.stage((add) => {
        for (const record of batch) {
          const entry = buildEntry(record, format, parseCtx, now);
          const f = entry.fields;
          const flags = cleaner.classify(f, entry.raw, entry.flags, record.offset);
          if (!(flags & FLAG.unparsed)) parsed++;
          invalidBytes += record.invalidBytes;
          const kept = !(flags & DROP_FLAGS);
          if (kept && !(flags & FLAG.unparsed)) stats.add(f);
          const id = entryId(upload.entryBase, record.offset);
          const match = kept && watchlist ? watchlist.match(f.message) : null;
          if (match) matches.push([id, match.item]);
          const signature = kept ? templates.add(f.message, f.ts) : null;
          setEntryValues(row, id, ++records, record, f, signature, flags);
          add(row);
          lastOffset = record.offset;
        }
      });
      await job.updateProgress(
        Math.min(99, Math.round(((lastOffset - data.start) / Math.max(1, data.end - data.start)) * 100)),
      );
    }

    const summary: ChunkSummary = {
      ...cleaner.handoff(),
      invalidBytes,
      stats: stats.toJSON(),
      templates: templates.handoff(),
      watchMatches: matches.length,
    };
    const lock = writer.commit(
      upload,
      data,
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
      matches,
    );
    writeLockSeconds.inc({ phase: 'wait' }, lock.waitedMs / 1000);
    writeLockSeconds.inc({ phase: 'held' }, lock.heldMs / 1000);
  } finally {
    writer.release();
  }
  linesProcessed.inc(readStats.lines);
  return { records };
}
