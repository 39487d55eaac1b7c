import { entryId, type Sqlite, uploads } from '@logsift/db';
import { UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import { FLAG, type FlagName } from '../entry.js';
import type { UploadJobData } from '../queue/definitions.js';
import { packFlags } from '../segments/columns.js';
import { type ChunkMeta, ChunkSegment, chunkAt, firstRowAtOrAfter, saveColumn } from '../segments/store.js';
import { UploadRecords } from '../segments/upload-records.js';
import type { StoredOptions } from '../uploads/options.js';
import type { StageInput } from './context.js';
import { findRepeats, unpackDedup } from './dedup-keys.js';
import { dedupSpillDir, PairSpill } from './dedup-spill.js';
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

/** Most keys the exact-duplicate check holds in memory at once: 2M [key, offset] pairs, about 35 MB. */
export const KEYS_PER_PASS = 2_000_000;
/** Keys per part once they are split on disk: about 9 MB of pairs in memory while a part is checked. */
const KEYS_PER_PART = 500_000;
/** Most parts (open files at once): past 128M records each part holds more keys instead. */
const MAX_PARTS = 256;

/**
 * Byte offsets of the records whose key appeared in an earlier chunk (exact duplicates), sorted.
 * `chunks` yields each chunk's packed [key, offset] pairs (its first occurrences) in chunk order, and is
 * read once (and checked by `findRepeats`). When there are more keys than memory may hold (KEYS_PER_PASS), the
 * pairs are first split by key into parts on disk under `spillDir`, in chunk order, and each part is then
 * checked on its own: every key is read twice, whatever the file's size, and memory stays within one
 * part's pairs (up to 128M records; beyond that the parts, at most MAX_PARTS, grow).
 */
export function crossChunkDuplicates(
  chunks: Iterable<Float64Array>,
  expectedKeys: number,
  spillDir: string,
  limits = { keysPerPass: KEYS_PER_PASS, keysPerPart: KEYS_PER_PART, maxParts: MAX_PARTS },
): Float64Array {
  const passes =
    expectedKeys <= limits.keysPerPass
      ? 1
      : Math.min(limits.maxParts, Math.ceil(expectedKeys / limits.keysPerPart));
  // A chunk's own keys are distinct, so a key seen before came from an earlier chunk.
  const found: number[] = [];
  if (passes === 1) {
    findRepeats(chunks, expectedKeys, found);
  } else {
    const spill = new PairSpill(spillDir, passes);
    try {
      for (const pairs of chunks) {
        for (let i = 0; i < pairs.length; i += 2) {
          const key = pairs[i] as number;
          // The key's high bits pick its part; KeySet spreads keys by their low bits.
          spill.add(Math.floor(key / 4294967296) % passes, key, pairs[i + 1] as number);
        }
      }
      for (let pass = 0; pass < passes; pass++) {
        findRepeats(spill.read(pass), Math.ceil(expectedKeys / passes), found, passes);
      }
    } finally {
      spill.remove();
    }
  }
  return Float64Array.from(found).sort();
}

/**
 * Window repeats across chunks (the dedup-window rule): a chunk's first record of a key repeats the
 * previous chunk's last record of that key within the window, unless it is an exact duplicate already.
 * Fed one chunk at a time, in chunk order.
 */
export class CrossChunkWindowRepeats {
  readonly offsets: number[] = [];
  private readonly lastSeen = new Map<number, number>();

  constructor(
    private readonly windowMs: number,
    private readonly duplicates: Float64Array,
  ) {}

  add(handoff: Pick<CleanHandoff, 'windowHeads' | 'windowTails'>): void {
    if (this.windowMs <= 0) return;
    for (const [key, ts, offset] of handoff.windowHeads) {
      const prev = this.lastSeen.get(key);
      if (prev !== undefined && Math.abs(ts - prev) <= this.windowMs && !includes(this.duplicates, offset)) {
        this.offsets.push(offset);
      }
    }
    for (const [key, ts] of handoff.windowTails) this.lastSeen.set(key, ts);
  }
}

/** Binary search in a sorted array. */
function includes(sorted: Float64Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** What the clean stage reads of each chunk, one chunk at a time. */
interface ChunkRow {
  lines: number;
  records: number;
  parsed: number;
  unparsed: number;
  summary: string;
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
  const blobs = sqlite
    .prepare('SELECT dedup FROM chunk_results WHERE upload_id = ? ORDER BY chunk')
    .pluck()
    .iterate(upload.id) as IterableIterator<Buffer | null>;
  const duplicateOffsets = crossChunkDuplicates(
    (function* () {
      for (const blob of blobs) yield unpackDedup(blob);
    })(),
    expected.records,
    dedupSpillDir(ctx.config.dataDir, upload.id),
  );
  const windowRepeats = new CrossChunkWindowRepeats(windowSeconds * 1000, duplicateOffsets);
  const flags: Partial<Record<FlagName, number>> = {};
  const rules = new Map<string, number>();
  const totals = { lines: 0, records: 0, parsed: 0, unparsed: 0, invalidBytes: 0 };
  const rows = sqlite
    .prepare(
      'SELECT lines, records, parsed, unparsed, summary FROM chunk_results WHERE upload_id = ? ORDER BY chunk',
    )
    .iterate(upload.id) as IterableIterator<ChunkRow>;
  for (const row of rows) {
    const summary = JSON.parse(row.summary) as ChunkSummary;
    windowRepeats.add(summary);
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

  const dropped: number[] = [];
  let duplicates = 0;
  let repeats = 0;
  sqlite.transaction(() => {
    // Each pass reads the chunks it marks from the database, so the second sees the first's flags.
    const records = new UploadRecords(sqlite, upload);
    duplicates = markFlags(records, duplicateOffsets, FLAG.duplicate, dropped);
    repeats = markFlags(records, windowRepeats.offsets, FLAG.droppedByRule, dropped);
  })();

  flags.duplicate = (flags.duplicate ?? 0) + duplicates;
  if (repeats > 0) {
    flags.droppedByRule = (flags.droppedByRule ?? 0) + repeats;
    const label = dedupWindowLabel(windowSeconds);
    rules.set(label, (rules.get(label) ?? 0) + repeats);
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

/**
 * Sets `bit` on the stored records at `offsets` after parsing. The offsets are visited in file order, so
 * each chunk's flags column is read once, changed, and written back with its skip index's flag mask
 * before the next chunk is read: one chunk's columns in memory at a time, whatever the number of chunks.
 * Returns how many records it covers; pushes their ids to `ids` (a retried clean finds the bits set
 * already and lists the same records).
 */
function markFlags(records: UploadRecords, offsets: Iterable<number>, bit: number, ids: number[]): number {
  const { sqlite, upload } = records;
  let n = 0;
  let segment = null as ChunkSegment | null;
  let changed = false;
  const save = (marked: ChunkSegment) => {
    saveColumn(sqlite, upload.id, marked.meta.chunk, 'flags', packFlags(marked.flags));
    let mask = 0;
    for (const f of marked.flags) mask |= f;
    updateFlagMask(sqlite, upload.id, marked.meta.chunk, mask);
  };
  for (const offset of Float64Array.from(offsets).sort()) {
    const index = chunkAt(records.metas, offset);
    if (index < 0) continue;
    const meta = records.metas[index] as ChunkMeta;
    if (segment?.meta !== meta) {
      if (segment && changed) save(segment);
      segment = new ChunkSegment(sqlite, upload.id, meta);
      changed = false;
    }
    const row = firstRowAtOrAfter(segment, offset);
    if (row >= segment.rows || segment.offsetOf(row) !== offset) continue;
    const flags = segment.flags;
    ids.push(entryId(upload.entryBase, offset));
    if (((flags[row] as number) & bit) === 0) {
      flags[row] = (flags[row] as number) | bit;
      changed = true;
    }
    n++;
  }
  if (segment && changed) save(segment);
  return n;
}

function updateFlagMask(sqlite: Sqlite, uploadId: string, chunk: number, mask: number): void {
  sqlite
    .prepare('UPDATE chunk_results SET flag_mask = ? WHERE upload_id = ? AND chunk = ?')
    .run(mask, uploadId, chunk);
}
