import { entryIdRange, type Sqlite } from '@logsift/db';
import { canRuleOut, mayContain, textProbe } from './text-filter.js';

/** An upload's entry ids from `first` (inclusive) to `end` (exclusive). */
export type IdRange = readonly [first: number, end: number];

/**
 * Most id ranges one page is split into (each an arm of a UNION ALL). Past it, neighbouring ranges are
 * joined across their smallest gaps: a range may then hold rows outside the filters, which the query still
 * excludes.
 */
export const MAX_RANGES = 64;
/** Most chunks only partly inside a time filter before the timestamp index is the better way in. */
export const MAX_PARTIAL_CHUNKS = 8;

/** The filters a chunk's skip index answers: a time range and a text. */
export interface SkipFilters {
  from?: number | undefined;
  to?: number | undefined;
  q?: string | undefined;
}

/**
 * The id ranges of an upload's chunks that can hold entries matching `f`, in file order, adjacent chunks
 * joined: chunks whose time span (chunk_results.min_ts..max_ts, a zone map) meets [from, to) and whose
 * text filter (text-filter.ts) may hold `q`. Every matching entry lies in one of the ranges.
 *
 * Null when the skip index would not narrow a scan: a time filter that many chunks only partly overlap
 * (a log out of time order), where the timestamp index is the better way in, or no filter it answers.
 */
export function candidateRanges(
  sqlite: Sqlite,
  upload: { id: string; entryBase: number },
  f: SkipFilters,
): IdRange[] | null {
  const timed = f.from !== undefined || f.to !== undefined;
  const probe = f.q ? textProbe(f.q) : undefined;
  const searched = probe !== undefined && canRuleOut(probe);
  if (!timed && !searched) return null;
  const low = f.from ?? Number.MIN_SAFE_INTEGER;
  const high = f.to ?? Number.MAX_SAFE_INTEGER;
  const chunks = sqlite
    .prepare(
      `SELECT start_byte AS start, end_byte AS end, min_ts AS minTs, max_ts AS maxTs,
         ${searched ? 'text_filter AS textFilter' : 'NULL AS textFilter'}
       FROM chunk_results WHERE upload_id = ? ${timed ? 'AND max_ts >= ? AND min_ts < ?' : ''} ORDER BY chunk`,
    )
    .all(upload.id, ...(timed ? [low, high] : [])) as ChunkSkipRow[];
  if (timed && chunks.filter((c) => c.minTs < low || c.maxTs >= high).length > MAX_PARTIAL_CHUNKS)
    return null;
  const ranges: [number, number][] = [];
  for (const c of chunks) {
    if (searched && c.textFilter && !mayContain(c.textFilter, probe)) continue;
    const [first, end] = entryIdRange(upload.entryBase, c.start, c.end);
    const last = ranges.at(-1);
    if (last && last[1] === first) last[1] = end;
    else ranges.push([first, end]);
  }
  return joinSmallestGaps(ranges, MAX_RANGES);
}

interface ChunkSkipRow {
  start: number;
  end: number;
  minTs: number;
  maxTs: number;
  textFilter: Buffer | null;
}

/** Joins neighbouring ranges across their smallest gaps until at most `max` remain. */
export function joinSmallestGaps(ranges: readonly IdRange[], max: number): IdRange[] {
  const out = ranges.map(([a, b]): [number, number] => [a, b]);
  while (out.length > Math.max(1, max)) {
    let at = 0;
    for (let i = 1; i < out.length - 1; i++) {
      if (gap(out, i) < gap(out, at)) at = i;
    }
    const next = out[at + 1] as [number, number];
    (out[at] as [number, number])[1] = next[1];
    out.splice(at + 1, 1);
  }
  return out;
}

const gap = (ranges: readonly IdRange[], i: number) =>
  (ranges[i + 1] as IdRange)[0] - (ranges[i] as IdRange)[1];
