import type { Anomaly } from './anomaly.js';
import type { ChunkStats } from './chunk-stats.js';
import { detectLatencyOutliers, type LatencyOutlierOptions } from './latency-outliers.js';
import { formatMinute, formatPercent, MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './robust.js';
import { latencyByPath, timeline } from './summary.js';

export interface MinuteCounts {
  /** Bucket start, epoch ms UTC. */
  at: number;
  lines: number;
  errors: number;
}

export interface ErrorSpikeOptions {
  /** Bucket width of the series, ms. Default 60000. */
  widthMs?: number;
  /** Robust z-score above which a minute is a spike. Default 3.5 (Iglewicz & Hoaglin's cut-off). */
  threshold?: number;
  /** Fewest errors a spike minute must have, so one error in a quiet minute is not a spike. Default 5. */
  minErrors?: number;
  /**
   * Smallest spread assumed for error rates (a rate, 0.01 = 1 point): when most minutes have the same rate
   * the MAD is 0, and without a floor any minute above it would count. Default 0.01.
   */
  minRateSpread?: number;
}

export interface VolumeOptions {
  widthMs?: number;
  /** Robust z-score beyond which a bucket is a burst (above) or a drop (below). Default 3.5. */
  threshold?: number;
}

/** Gaps are filled with empty buckets only up to this span (100,000 buckets: 69 days of minutes). */
const MAX_FILLED_BUCKETS = 100_000;

/**
 * Minutes whose error rate is far above the usual rate: robust z = (rate - median) / max(1.4826 MAD,
 * minRateSpread) above `threshold`, with at least `minErrors` errors. Median and MAD are taken over minutes
 * with lines, so a spike does not raise its own baseline. Adjacent flagged minutes form one anomaly whose
 * value is the peak rate.
 */
export function detectErrorSpikes(
  points: readonly MinuteCounts[],
  options: ErrorSpikeOptions = {},
): Anomaly[] {
  const widthMs = options.widthMs ?? 60_000;
  const threshold = options.threshold ?? 3.5;
  const minErrors = options.minErrors ?? 5;
  const active = points.filter((p) => p.lines > 0);
  const rates = active.map((p) => p.errors / p.lines);
  const baseline = median(rates);
  const spread = Math.max(
    MAD_TO_SIGMA * medianAbsoluteDeviation(rates, baseline),
    options.minRateSpread ?? 0.01,
  );
  const flagged = active
    .map((p, i) => ({ ...p, rate: rates[i]!, z: (rates[i]! - baseline) / spread }))
    .filter((p) => p.z > threshold && p.errors >= minErrors);
  return adjacentRuns(flagged, widthMs).map((run) => {
    const peak = run.reduce((a, b) => (b.rate > a.rate ? b : a));
    const lines = run.reduce((sum, p) => sum + p.lines, 0);
    const errors = run.reduce((sum, p) => sum + p.errors, 0);
    const until = run[run.length - 1]!.at + widthMs;
    return {
      kind: 'error-spike',
      at: run[0]!.at,
      until,
      value: peak.rate,
      baseline,
      deviation: peak.z,
      message:
        `Error rate peaked at ${formatPercent(peak.rate)} (${errors} errors in ${lines} lines) ` +
        `from ${formatMinute(run[0]!.at)} to ${formatMinute(until)}; usual rate ${formatPercent(baseline)}.`,
    };
  });
}

/**
 * Bursts and drops in lines per bucket. Gaps inside the series count as empty buckets (a silent minute is
 * a drop); the first and last buckets are left out of baseline and flags since the file probably starts
 * and ends part-way through them. The spread is at least sqrt(median), the noise of a Poisson count, and 1.
 */
export function detectVolumeChanges(
  points: readonly Pick<MinuteCounts, 'at' | 'lines'>[],
  options: VolumeOptions = {},
): Anomaly[] {
  const widthMs = options.widthMs ?? 60_000;
  const threshold = options.threshold ?? 3.5;
  const series = fillGaps(points, widthMs).slice(1, -1);
  if (series.length < 3) return [];
  const counts = series.map((p) => p.lines);
  const baseline = median(counts);
  // Most minutes empty: the log is sparse (a daemon writing now and then), it has no steady volume to
  // burst above or drop below, and every busy minute would be flagged.
  if (baseline === 0) return [];
  const spread = Math.max(MAD_TO_SIGMA * medianAbsoluteDeviation(counts, baseline), Math.sqrt(baseline), 1);
  const scored = series.map((p) => ({ ...p, z: (p.lines - baseline) / spread }));
  const anomalies: Anomaly[] = [];
  for (const kind of ['volume-burst', 'volume-drop'] as const) {
    const flagged = scored.filter((p) => (kind === 'volume-burst' ? p.z > threshold : p.z < -threshold));
    for (const run of adjacentRuns(flagged, widthMs)) {
      const extreme = run.reduce((a, b) => (Math.abs(b.z) > Math.abs(a.z) ? b : a));
      const until = run[run.length - 1]!.at + widthMs;
      const what = kind === 'volume-burst' ? 'Burst' : 'Drop';
      anomalies.push({
        kind,
        at: run[0]!.at,
        until,
        value: extreme.lines,
        baseline,
        deviation: extreme.z,
        message:
          `${what} in volume: ${extreme.lines} lines per ${widthMs / 1000} s at the extreme ` +
          `from ${formatMinute(run[0]!.at)} to ${formatMinute(until)}; usually ${baseline}.`,
      });
    }
  }
  return anomalies.sort((a, b) => a.at - b.at);
}

export interface AnomalyOptions {
  errorSpikes?: Omit<ErrorSpikeOptions, 'widthMs'>;
  volume?: Omit<VolumeOptions, 'widthMs'>;
  latency?: LatencyOutlierOptions;
}

/** Error spikes, volume changes and slow paths of merged statistics, in time order. */
export function detectAnomalies(stats: ChunkStats, options: AnomalyOptions = {}): Anomaly[] {
  const { widthMs, points } = timeline(stats);
  return [
    ...detectErrorSpikes(points, { ...options.errorSpikes, widthMs }),
    ...detectVolumeChanges(points, { ...options.volume, widthMs }),
    ...detectLatencyOutliers(latencyByPath(stats), options.latency),
  ].sort((a, b) => a.at - b.at);
}

/** Splits time-ordered buckets into runs of adjacent ones. */
function adjacentRuns<T extends { at: number }>(points: readonly T[], widthMs: number): T[][] {
  const runs: T[][] = [];
  for (const point of points) {
    const run = runs[runs.length - 1];
    if (run && point.at - run[run.length - 1]!.at === widthMs) run.push(point);
    else runs.push([point]);
  }
  return runs;
}

/** Every bucket from the first to the last, empty ones included (unless the span is implausibly long). */
function fillGaps<T extends { at: number; lines: number }>(points: readonly T[], widthMs: number) {
  const sorted = [...points].sort((a, b) => a.at - b.at);
  if (sorted.length === 0) return [];
  const first = sorted[0]!.at;
  const span = (sorted[sorted.length - 1]!.at - first) / widthMs + 1;
  if (span > MAX_FILLED_BUCKETS) return sorted.map(({ at, lines }) => ({ at, lines }));
  const byStart = new Map(sorted.map((p) => [p.at, p.lines]));
  return Array.from({ length: span }, (_, i) => {
    const at = first + i * widthMs;
    return { at, lines: byStart.get(at) ?? 0 };
  });
}
