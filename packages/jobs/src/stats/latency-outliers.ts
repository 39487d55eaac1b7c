import type { Anomaly } from './anomaly.js';
import { formatMinute, MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './robust.js';

export interface PathLatencyInput {
  path: string;
  count: number;
  /** ms */
  p95: number;
  max: number;
  /** Time of the slowest request, epoch ms UTC. */
  maxAt: number | null;
}

export interface LatencyOutlierOptions {
  /** Robust z-score of log(p95) above which a path is slow. Default 3.5. */
  threshold?: number;
  /** Paths with fewer requests are neither judged nor part of the baseline: their p95 is noise. Default 20. */
  minCount?: number;
  /** A slow path's p95 must also be at least this multiple of the baseline. Default 3. */
  minRatio?: number;
}

/** Smallest spread of log(p95) assumed (0.1 is about 10%), for when most paths have near-equal p95. */
const MIN_LOG_SPREAD = 0.1;
/** p95 floor before taking logs, ms. */
const MIN_LATENCY_MS = 0.001;

/**
 * Paths whose p95 latency is far above that of the other paths. Latencies are multiplicative (one path is
 * "ten times slower"), so the baseline is taken on log(p95): median and MAD over paths with at least
 * `minCount` requests, and at least three such paths are needed for a baseline at all.
 *
 * Judged per path rather than per request: a per-request threshold would need each path's distribution
 * before the pass that reads the requests, and each path's max and its time already point a person to
 * its slowest request. `at` is that time (0 when the slowest request had none).
 */
export function detectLatencyOutliers(
  paths: readonly PathLatencyInput[],
  options: LatencyOutlierOptions = {},
): Anomaly[] {
  const threshold = options.threshold ?? 3.5;
  const minRatio = options.minRatio ?? 3;
  const judged = paths.filter((p) => p.count >= (options.minCount ?? 20) && Number.isFinite(p.p95));
  if (judged.length < 3) return [];
  const logs = judged.map((p) => Math.log(Math.max(p.p95, MIN_LATENCY_MS)));
  const center = median(logs);
  const spread = Math.max(MAD_TO_SIGMA * medianAbsoluteDeviation(logs, center), MIN_LOG_SPREAD);
  const baseline = Math.exp(center);
  return judged
    .map((p, i) => ({ path: p, z: (logs[i]! - center) / spread, ratio: p.p95 / baseline }))
    .filter(({ z, ratio }) => z > threshold && ratio >= minRatio)
    .sort((a, b) => b.ratio - a.ratio)
    .map(({ path, ratio }) => ({
      kind: 'latency-outlier' as const,
      at: path.maxAt ?? 0,
      value: path.p95,
      baseline,
      deviation: ratio,
      subject: path.path,
      message:
        `${path.path} is slow: p95 ${path.p95.toFixed(1)} ms over ${path.count} requests, ` +
        `${ratio.toFixed(1)} times the median path's ${baseline.toFixed(1)} ms; slowest ${path.max.toFixed(1)} ms` +
        (path.maxAt === null ? '.' : ` at ${formatMinute(path.maxAt)}.`),
    }));
}
