import type { BucketPoint } from './bucket-series.js';

/** Default sliding window: 60 s. */
export const DEFAULT_WINDOW_SECONDS = 60;
/** Windows with fewer lines are not rated: 1 failure out of 2 lines is not a 50% failure rate worth reporting. */
export const DEFAULT_WINDOW_MIN_LINES = 20;

export interface FailurePeak {
  /** Window length actually used, ms: the requested length rounded up to whole buckets. */
  windowMs: number;
  /** Bucket width of the series, ms (1000 unless the series had to coarsen). */
  resolutionMs: number;
  /** failures / total in the window. */
  rate: number;
  failures: number;
  total: number;
  /** Window start, epoch ms UTC, inclusive. */
  from: number;
  /** Window end, epoch ms UTC, exclusive. */
  until: number;
}

export interface FailureWindowOptions {
  windowSeconds?: number;
  minLines?: number;
}

/**
 * The highest failure rate of a trailing window slid over a series whose buckets hold [total, failures],
 * with the earliest window on ties. The window ending at bucket e covers buckets e - w + 1 .. e and is
 * considered for every e from the first bucket + w - 1 to the last non-empty bucket: only windows that lie
 * wholly within the data, so the first minute of a log is rated as a minute, not as its first second
 * labelled with a start before the log's. Data shorter than one window is rated as one window from its
 * first bucket to its last.
 *
 * Its content only changes when a non-empty bucket enters (e = that bucket) or leaves (e = that bucket + w),
 * so only those ends are evaluated: the cost follows the number of non-empty buckets, not the time span.
 */
export function peakFailureRate(
  points: readonly BucketPoint[],
  resolutionMs: number,
  options: FailureWindowOptions = {},
): FailurePeak | null {
  const windowMs = (options.windowSeconds ?? DEFAULT_WINDOW_SECONDS) * 1000;
  const minLines = options.minLines ?? DEFAULT_WINDOW_MIN_LINES;
  if (points.length === 0 || !(windowMs > 0)) return null;
  const width = Math.ceil(windowMs / resolutionMs); // window length in buckets
  const keys = points.map((p) => Math.round(p.at / resolutionMs));
  const first = keys[0]!;
  const last = keys[keys.length - 1]!;
  const firstFullEnd = first + width - 1;
  const ends =
    last <= firstFullEnd
      ? [last]
      : [...new Set([firstFullEnd, ...keys, ...keys.map((k) => k + width)])]
          .filter((e) => e >= firstFullEnd && e <= last)
          .sort((a, b) => a - b);

  let best: FailurePeak | null = null;
  let enter = 0; // next point to enter the window
  let leave = 0; // next point to leave it
  let total = 0;
  let failures = 0;
  for (const end of ends) {
    for (; enter < points.length && keys[enter]! <= end; enter++) {
      total += points[enter]!.values[0]!;
      failures += points[enter]!.values[1]!;
    }
    for (; leave < enter && keys[leave]! <= end - width; leave++) {
      total -= points[leave]!.values[0]!;
      failures -= points[leave]!.values[1]!;
    }
    if (total < minLines || total <= 0) continue;
    const rate = failures / total;
    if (best === null || rate > best.rate) {
      best = {
        windowMs: width * resolutionMs,
        resolutionMs,
        rate,
        failures,
        total,
        from: Math.max(end - width + 1, first) * resolutionMs,
        until: (end + 1) * resolutionMs,
      };
    }
  }
  return best;
}
