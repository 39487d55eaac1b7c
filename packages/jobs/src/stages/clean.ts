import { entryId, uploads } from '@logsift/db';
import { UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import { FLAG, type FlagName } from '../entry.js';
import type { UploadJobData } from '../queue/definitions.js';
import type { StoredOptions } from '../uploads/options.js';
import type { StageInput } from './context.js';
import { dedupWindowLabel } from './parse/chunk-cleaner.js';
import { type ChunkResult, loadChunkResults, saveStageResult } from './results.js';

export interface CleanResult {
  lines: number;
  records: number;
  parsed: number;
  unparsed: number;
  dropped: number;
  /** Entries per flag, over the whole upload. */
  flags: Partial<Record<FlagName, number>>;
  rules: { rule: string; removed: number }[];
  invalidBytes: number;
  /** Entry ids dropped here because of a record in an earlier chunk (their statistics are subtracted). */
  crossChunkDropped: number[];
}

interface Drop {
  /** Byte offset of the record (its id follows from it). */
  offset: number;
  flag: number;
}

/** Records that repeat a record of an earlier chunk: exact duplicates, and window repeats (if the rule is on). */
export function findCrossChunkDrops(chunks: readonly ChunkResult[], windowMs: number): Drop[] {
  const drops: Drop[] = [];
  const seen = new Set<number>();
  const lastSeen = new Map<number, number>();
  for (const c of chunks) {
    const s = c.summary;
    const duplicates = new Set<number>();
    s.duplicateKeys.forEach((key, i) => {
      const offset = s.duplicateOffsets[i] ?? 0;
      if (seen.has(key)) {
        drops.push({ offset, flag: FLAG.duplicate });
        duplicates.add(offset);
      }
    });
    for (const key of s.duplicateKeys) seen.add(key);
    if (windowMs > 0) {
      for (const [key, ts, offset] of s.windowHeads) {
        const prev = lastSeen.get(key);
        if (prev !== undefined && Math.abs(ts - prev) <= windowMs && !duplicates.has(offset)) {
          drops.push({ offset, flag: FLAG.droppedByRule });
        }
      }
      for (const [key, ts] of s.windowTails) lastSeen.set(key, ts);
    }
  }
  return drops;
}

/**
 * Finishes cleaning across chunks: each parse job flagged what it could see alone; here records that
 * repeat a record of an earlier chunk are flagged too, and the upload's counts are settled.
 */
export async function cleanUpload({ upload, ctx }: StageInput<UploadJobData>): Promise<{ dropped: number }> {
  const chunks = loadChunkResults(ctx.store, upload.id);
  if (chunks.length !== upload.chunkCount) {
    throw new UnrecoverableError(`expected ${upload.chunkCount} parsed chunks, found ${chunks.length}`);
  }
  const options = JSON.parse(upload.options) as StoredOptions;
  const windowSeconds = options.clean?.dedupWindowSeconds ?? 0;
  const drops = findCrossChunkDrops(chunks, windowSeconds * 1000);

  const { sqlite } = ctx.store;
  const flag = sqlite.prepare('UPDATE entries SET flags = flags | ? WHERE id = ?');
  const dropped: number[] = [];
  let duplicates = 0;
  let windowRepeats = 0;
  sqlite.transaction(() => {
    for (const d of drops) {
      const id = entryId(upload.entryBase, d.offset);
      if (flag.run(d.flag, id).changes === 0) continue;
      dropped.push(id); // a retried clean sets the same bit again: idempotent
      if (d.flag === FLAG.duplicate) duplicates++;
      else windowRepeats++;
    }
  })();

  const flags: Partial<Record<FlagName, number>> = {};
  const rules = new Map<string, number>();
  let invalidBytes = 0;
  for (const c of chunks) {
    for (const [name, n] of Object.entries(c.summary.flags) as [FlagName, number][]) {
      flags[name] = (flags[name] ?? 0) + n;
    }
    for (const r of c.summary.rules) rules.set(r.rule, (rules.get(r.rule) ?? 0) + r.removed);
    invalidBytes += c.summary.invalidBytes;
  }
  flags.duplicate = (flags.duplicate ?? 0) + duplicates;
  if (windowRepeats > 0) {
    flags.droppedByRule = (flags.droppedByRule ?? 0) + windowRepeats;
    const label = dedupWindowLabel(windowSeconds);
    rules.set(label, (rules.get(label) ?? 0) + windowRepeats);
  }
  const sum = (k: 'lines' | 'records' | 'parsed' | 'unparsed') => chunks.reduce((n, c) => n + c[k], 0);
  const result: CleanResult = {
    lines: sum('lines'),
    records: sum('records'),
    parsed: sum('parsed'),
    unparsed: sum('unparsed'),
    dropped: (flags.duplicate ?? 0) + (flags.droppedByRule ?? 0),
    flags,
    rules: [...rules].map(([rule, removed]) => ({ rule, removed })),
    invalidBytes,
    crossChunkDropped: dropped,
  };
  sqlite.transaction(() => {
    saveStageResult(ctx.store, upload.id, 'clean', result);
    ctx.store.db
      .update(uploads)
      .set({
        lines: result.lines,
        records: result.records,
        parsed: result.parsed,
        unparsed: result.unparsed,
        dropped: result.dropped,
      })
      .where(eq(uploads.id, upload.id))
      .run();
  })();
  return { dropped: result.dropped };
}
