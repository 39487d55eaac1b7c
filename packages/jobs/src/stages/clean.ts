import { entryId, uploads } from '@logsift/db';
import { UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import { FLAG, type FlagName } from '../entry.js';
import type { UploadJobData } from '../queue/definitions.js';
import type { StoredOptions } from '../uploads/options.js';
import type { StageInput } from './context.js';
import { KeySet, unpackDedup } from './dedup-keys.js';
import { type CleanHandoff, dedupWindowLabel } from './parse/chunk-cleaner.js';
import type { ChunkSummary } from './parse.js';
import { saveStageResult } from './results.js';

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

/**
 * Records that repeat a record of an earlier chunk: exact duplicates, and window repeats (if the rule is
 * on). Fed one chunk at a time in chunk order, so only the set of keys seen so far stays in memory, in a
 * compact table (about 11 bytes a distinct record).
 */
export class CrossChunkDrops {
  readonly drops: Drop[] = [];
  private readonly seen: KeySet;
  private readonly lastSeen = new Map<number, number>();

  constructor(
    expectedKeys: number,
    private readonly windowMs: number,
  ) {
    this.seen = new KeySet(expectedKeys);
  }

  /** The next chunk: its packed [key, offset] pairs (first occurrences) and its dedup-window hand-off. */
  add(pairs: Float64Array, handoff: Pick<CleanHandoff, 'windowHeads' | 'windowTails'>): void {
    const duplicates = new Set<number>();
    for (let i = 0; i < pairs.length; i += 2) {
      // A chunk's own keys are distinct, so a key already in the set came from an earlier chunk.
      if (!this.seen.add(pairs[i] as number)) {
        const offset = pairs[i + 1] as number;
        this.drops.push({ offset, flag: FLAG.duplicate });
        duplicates.add(offset);
      }
    }
    if (this.windowMs > 0) {
      for (const [key, ts, offset] of handoff.windowHeads) {
        const prev = this.lastSeen.get(key);
        if (prev !== undefined && Math.abs(ts - prev) <= this.windowMs && !duplicates.has(offset)) {
          this.drops.push({ offset, flag: FLAG.droppedByRule });
        }
      }
      for (const [key, ts] of handoff.windowTails) this.lastSeen.set(key, ts);
    }
  }
}

/** What the clean stage reads of each chunk, one chunk at a time. */
interface ChunkRow {
  lines: number;
  records: number;
  parsed: number;
  unparsed: number;
  summary: string;
  dedup: Buffer | null;
}

/**
 * Finishes cleaning across chunks: each parse job flagged what it could see alone; here records that
 * repeat a record of an earlier chunk are flagged too, and the upload's counts are settled. Chunks are
 * read one at a time, never all of their summaries and keys at once.
 */
export async function cleanUpload({ upload, ctx }: StageInput<UploadJobData>): Promise<{ dropped: number }> {
  const options = JSON.parse(upload.options) as StoredOptions;
  const windowSeconds = options.clean?.dedupWindowSeconds ?? 0;
  const { sqlite } = ctx.store;
  const expected = sqlite
    .prepare(
      'SELECT count(*) AS chunks, COALESCE(SUM(records), 0) AS records FROM chunk_results WHERE upload_id = ?',
    )
    .get(upload.id) as { chunks: number; records: number };
  if (expected.chunks !== upload.chunkCount) {
    throw new UnrecoverableError(`expected ${upload.chunkCount} parsed chunks, found ${expected.chunks}`);
  }
  const cross = new CrossChunkDrops(expected.records, windowSeconds * 1000);
  const flags: Partial<Record<FlagName, number>> = {};
  const rules = new Map<string, number>();
  const totals = { lines: 0, records: 0, parsed: 0, unparsed: 0, invalidBytes: 0 };
  const rows = sqlite
    .prepare(
      'SELECT lines, records, parsed, unparsed, summary, dedup FROM chunk_results WHERE upload_id = ? ORDER BY chunk',
    )
    .iterate(upload.id) as IterableIterator<ChunkRow>;
  for (const row of rows) {
    const summary = JSON.parse(row.summary) as ChunkSummary;
    cross.add(unpackDedup(row.dedup), summary);
    for (const [name, n] of Object.entries(summary.flags) as [FlagName, number][]) {
      flags[name] = (flags[name] ?? 0) + n;
    }
    for (const r of summary.rules) rules.set(r.rule, (rules.get(r.rule) ?? 0) + r.removed);
    totals.invalidBytes += summary.invalidBytes;
    totals.lines += row.lines;
    totals.records += row.records;
    totals.parsed += row.parsed;
    totals.unparsed += row.unparsed;
  }
  const drops = cross.drops;

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

  flags.duplicate = (flags.duplicate ?? 0) + duplicates;
  if (windowRepeats > 0) {
    flags.droppedByRule = (flags.droppedByRule ?? 0) + windowRepeats;
    const label = dedupWindowLabel(windowSeconds);
    rules.set(label, (rules.get(label) ?? 0) + windowRepeats);
  }
  const result: CleanResult = {
    lines: totals.lines,
    records: totals.records,
    parsed: totals.parsed,
    unparsed: totals.unparsed,
    dropped: (flags.duplicate ?? 0) + (flags.droppedByRule ?? 0),
    flags,
    rules: [...rules].map(([rule, removed]) => ({ rule, removed })),
    invalidBytes: totals.invalidBytes,
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
