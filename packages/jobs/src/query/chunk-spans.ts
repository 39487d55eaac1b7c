import { entryIdRange, type Sqlite } from '@logsift/db';

/** An upload's entry ids from `first` (inclusive) to `end` (exclusive). */
export type IdRange = readonly [first: number, end: number];

/**
 * Most id ranges one time-filtered page is split into. Past it, neighbouring ranges are joined across
 * their smallest gaps: a range may then hold rows outside the time filter, which the query still excludes.
 */
export const MAX_TIME_RANGES = 8;

/**
 * The id ranges of an upload's chunks whose time span (chunk_results.min_ts..max_ts, the zone map) meets
 * [from, to), in file order, adjacent chunks joined; `partial` counts the chunks only partly inside, the
 * ones whose rows a scan may read without using. Every entry with a timestamp in [from, to) lies in one of
 * the ranges. Null when the zone map would not narrow a scan (the partial chunks are too many: a log out
 * of time order, or the chunks written before it existed), so the caller keeps to the timestamp index.
 */
export function chunkRangesInTime(
  sqlite: Sqlite,
  upload: { id: string; entryBase: number },
  from: number | undefined,
  to: number | undefined,
  maxPartial = MAX_TIME_RANGES,
): IdRange[] | null {
  const low = from ?? Number.MIN_SAFE_INTEGER;
  const high = to ?? Number.MAX_SAFE_INTEGER;
  const chunks = sqlite
    .prepare(
      `SELECT start_byte AS start, end_byte AS end, min_ts AS minTs, max_ts AS maxTs FROM chunk_results
       WHERE upload_id = ? AND max_ts >= ? AND min_ts < ? ORDER BY chunk`,
    )
    .all(upload.id, low, high) as { start: number; end: number; minTs: number; maxTs: number }[];
  const partial = chunks.filter((c) => c.minTs < low || c.maxTs >= high).length;
  if (partial > maxPartial) return null;
  const ranges: [number, number][] = [];
  for (const c of chunks) {
    const [first, end] = entryIdRange(upload.entryBase, c.start, c.end);
    const last = ranges.at(-1);
    if (last && last[1] === first) last[1] = end;
    else ranges.push([first, end]);
  }
  return joinSmallestGaps(ranges, MAX_TIME_RANGES);
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
